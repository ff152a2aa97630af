// Which store, user index and timeout a per-user call works on: from a request's own session, or from a Storage
// and a user ID with the prefix and timeout the caller gives (listUserSessions, revokeUserSession, revokeUserSessions).
import type { Storage } from 'unstorage';
import type { SessionBackend } from '../core/backend';
import { DEFAULT_SESSION_CONFIG } from '../core/config';
import { noSessionError } from '../core/errors';
import { userSetKey } from '../core/keys';
import type { SessionEvent } from '../http/event';
import { getSessionState } from '../http/session-state';
import { getSessionBackend } from '../stores/get-backend';
import { loadTelemetry, observeBackend } from '../stores/telemetry';

/** Options of `listUserSessions` and `revokeUserSession` when given a Storage and a user ID. */
export interface UserSessionsOptions {
  /** A request whose session is marked `current` (for listing), or kept (`revokeUserSessions`' `except`). @default none */
  current?: SessionEvent;
  /** Store key prefix, as in the session config. @default `current`'s config's prefix, else 'sess:' */
  prefix?: string;
  /** Milliseconds before the store call fails with `STORAGE_ERROR`. @default 2000 */
  timeout?: number;
}

/** The store, index key and timeout a call works on: from a request's session, or from a Storage and a user ID. */
export interface UserScope {
  store: SessionBackend;
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
  target: SessionEvent | Storage<any>,
  userId: string | undefined,
  options: UserSessionsOptions,
): Promise<UserScope> {
  if (!isStorage(target)) {
    const state = getSessionState(target);
    if (!state) throw noSessionError(caller);
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
    throw new TypeError(`[@analog-tools/session] ${caller}: userId must be a non-empty string.`);
  }
  const current = options.current ? getSessionState(options.current) : undefined;
  const prefix = current?.config.prefix ?? options.prefix ?? DEFAULT_SESSION_CONFIG.prefix;
  // The telemetry of `current`'s config when it uses this Storage, else of OpenTelemetry's global providers.
  const store =
    current && current.config.store === target
      ? current.store
      : observeBackend(getSessionBackend(target, prefix), await loadTelemetry(undefined, caller));
  return {
    store,
    userId,
    userSet: await userSetKey(prefix, userId, store.hashTags),
    timeout: options.timeout ?? current?.config.timeout ?? DEFAULT_SESSION_CONFIG.timeout,
    currentKey: current?.key ?? undefined,
    maxAge: current?.config.maxAge,
    absoluteTimeout: current?.config.absoluteTimeout,
  };
}

/** A Storage rather than an event: the two call forms of the per-user functions. */
export function isStorage(target: SessionEvent | Storage<any>): target is Storage<any> {
  return typeof (target as Partial<Storage<any>>).getItem === 'function';
}
