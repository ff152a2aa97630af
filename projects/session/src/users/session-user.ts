import type { H3Event } from 'h3';
import type { Storage } from 'unstorage';
import { SessionError } from '../core/errors';
import { mutateStored, newSessionKey, persistNew, withSessionLock } from '../core/write';
import { userSlotTag } from '../core/keys';
import { getSessionState, requireSessionState } from '../core/state';
import type { SessionRecord } from '../core/record';
import { userScope } from './user-scope';
import { withStoreTimeout } from '../core/internal/with-store-timeout';

/** Longest label {@link setSessionUser} stores; longer ones are cut to this many characters. */
export const MAX_SESSION_LABEL_LENGTH = 200;

/** Options of {@link setSessionUser}. */
export interface SetSessionUserOptions {
  /**
   * The app's name for this session among the user's, shown by {@link listUserSessions} (e.g. "Firefox on
   * Linux", derived by the app from the User-Agent). Stored beside the binding, never in the data; longer than
   * {@link MAX_SESSION_LABEL_LENGTH} characters it is cut. @default no label (`label: null` in the list)
   */
  label?: string;
}

/**
 * Binds the session to a user (or unbinds it with `null`), so that {@link revokeUserSessions} can end every
 * session of that user and {@link listUserSessions} can list them. The binding is stored beside the data, not in
 * it, and is kept by regeneration.
 *
 * @example
 * await regenerateSession(event, { keepData: false });
 * await setSessionUser(event, user.id, { label: deviceName(getHeader(event, 'user-agent')) });
 */
export async function setSessionUser(event: H3Event, userId: string | null, options: SetSessionUserOptions = {}): Promise<void> {
  if (userId !== null && (typeof userId !== 'string' || userId.length === 0)) {
    throw new SessionError('INVALID_SESSION', 'setSessionUser(): userId must be a non-empty string, or null to unbind.');
  }
  const { label } = options;
  if (label !== undefined && typeof label !== 'string') {
    throw new SessionError('INVALID_DATA', 'setSessionUser(): options.label must be a string (or left out).');
  }
  const state = requireSessionState(event, 'setSessionUser()');
  await withSessionLock(state, async () => {
    if (!state.key) await persistNew(event, state, state.data);
    // On Redis Cluster a user's sessions live in the user's slot, beside the index revocation empties in one
    // script: binding moves the session to a new ID with the user's hash tag (the old cookie dies at once).
    const tag = state.store.hashTags && userId !== null ? await userSlotTag(userId) : undefined;
    const renameTo = tag && !state.id!.startsWith(tag) ? await newSessionKey(state.config.prefix, true, tag) : undefined;
    const bound = (current: SessionRecord) => ({
      data: current.data,
      userId: userId ?? undefined,
      ...(label === undefined ? {} : { label: label.slice(0, MAX_SESSION_LABEL_LENGTH) }),
    });
    await mutateStored(event, state, 'setSessionUser()', bound, renameTo);
  });
}

/** The user the session is bound to, or `null` (anonymous, or no session). Synchronous. */
export function getSessionUser(event: H3Event): string | null {
  return getSessionState(event)?.record?.userId ?? null;
}

/** Options of {@link revokeUserSessions}. */
export interface RevokeUserSessionsOptions {
  /** Keep the session of this request alive (e.g. "log out my other devices"). @default undefined */
  except?: H3Event;
  /** Store key prefix, as in the session config. @default the prefix of the config a request used `store` with, else 'sess:' */
  prefix?: string;
  /** Milliseconds before the store call fails with `STORAGE_ERROR`. @default 2000 */
  timeout?: number;
}

/**
 * Ends every session bound to `userId` (see {@link setSessionUser}) in one step, on every instance: their
 * records are deleted, so their cookies lead to fresh anonymous sessions. No key scan: each user has an index
 * of their sessions. On Redis this is one atomic script, so a login that completes concurrently is either
 * revoked too or starts after the revocation, never half of each. Returns how many sessions were ended.
 *
 * @example
 * // after a password change: log out everywhere else
 * await revokeUserSessions(store, user.id, { except: event });
 */
export async function revokeUserSessions(store: Storage<any>, userId: string, options: RevokeUserSessionsOptions = {}): Promise<number> {
  const { except, prefix, timeout } = options;
  const scope = await userScope('revokeUserSessions()', store, userId, { current: except, prefix, timeout });
  const keep = except ? getSessionState(except) : undefined;
  // After the caller's own pending writes, so "keep mine" sees the key they leave (a regeneration moves it).
  // Not under the caller's lock: two devices revoking each other at once must not wait on each other.
  if (keep && (keep.key || keep.fresh)) await withSessionLock(keep, async () => undefined);
  const { store: sessions, userSet } = scope;
  return withStoreTimeout(sessions.backend, 'revokeUserSessions()', scope.timeout, () =>
    sessions.revokeUser(userSet!, keep?.key ?? undefined),
  );
}
