// Which store, user index and timeout a per-user call works on: from a request's own session, or from a
// Storage and a user ID with what the session config that used it said (listUserSessions, revokeUserSession,
// revokeUserSessions).
import { isEvent, type H3Event } from 'h3';
import type { Storage } from 'unstorage';
import { getSessionStore, storeConfigOf } from '../stores/get-backend';
import { DEFAULT_SESSION_CONFIG } from '../core/config';
import { SessionError } from '../core/errors';
import { userSetKey } from '../core/keys';
import { getSessionState, NO_SESSION_FIX } from '../core/state';
import type { SessionStore } from '../core/backend';

/** Options of `listUserSessions` and `revokeUserSession` when given a Storage and a user ID. */
export interface UserSessionsOptions {
  /** A request whose session is marked `current` (for listing), or kept (`revokeUserSessions`' `except`). @default none */
  current?: H3Event;
  /** Store key prefix, as in the session config. @default the prefix of the config a request used `store` with, else 'sess:' */
  prefix?: string;
  /** Milliseconds before the store call fails with `STORAGE_ERROR`. @default 2000 */
  timeout?: number;
}

/** The store, index key and timeout a call works on: from a request's session, or from a Storage and a user ID. */
export interface UserScope {
  store: SessionStore;
  userId: string | undefined;
  userSet: string | undefined;
  timeout: number;
  currentKey: string | undefined;
  maxAge: number | undefined;
  absoluteTimeout: number | undefined;
}

/** Resolves the arguments of both call forms; `userSet` is undefined when the request is anonymous. */
export async function userScope(
  caller: string,
  target: H3Event | Storage<any>,
  userId: string | undefined,
  options: UserSessionsOptions,
): Promise<UserScope> {
  if (isEvent(target)) {
    const state = getSessionState(target);
    if (!state) {
      throw new SessionError('INVALID_SESSION', `${caller}: no active session on this request. ${NO_SESSION_FIX}`);
    }
    const { config, store, record, key } = state;
    const userSet = record?.userId === undefined ? undefined : await userSetKey(config.prefix, record.userId, store.hashTags);
    return {
      store,
      userId: record?.userId,
      userSet,
      timeout: config.timeout,
      currentKey: key ?? undefined,
      maxAge: config.maxAge,
      absoluteTimeout: config.absoluteTimeout,
    };
  }
  if (typeof userId !== 'string' || userId.length === 0) {
    throw new SessionError('INVALID_SESSION', `${caller}: userId must be a non-empty string.`);
  }
  const current = options.current ? getSessionState(options.current) : undefined;
  const remembered = storeConfigOf(target);
  const prefix = current?.config.prefix ?? options.prefix ?? remembered?.prefix ?? DEFAULT_SESSION_CONFIG.prefix;
  const store = getSessionStore(target, prefix);
  return {
    store,
    userId,
    userSet: await userSetKey(prefix, userId, store.hashTags),
    timeout: options.timeout ?? current?.config.timeout ?? remembered?.timeout ?? DEFAULT_SESSION_CONFIG.timeout,
    currentKey: current?.key ?? undefined,
    maxAge: current?.config.maxAge,
    absoluteTimeout: current?.config.absoluteTimeout,
  };
}
