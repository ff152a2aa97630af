import type { Storage } from 'unstorage';
import { withStoreTimeout } from '../core/internal/with-store-timeout';
import { userSlotTag } from '../core/keys';
import type { SessionRecord } from '../core/record';
import { newSessionKey, withSessionLock } from '../core/write';
import type { SessionEvent } from '../http/event';
import { getSessionState, requireSessionState } from '../http/session-state';
import { createSession, writeSession } from '../http/write-session';
import { isStorage, userScope } from './user-scope';
import { noSessionError } from '../core/errors';
import type { SessionBackend, DeletedMember } from '../core/backend';
import { handleOf, isHeard, reportSessionEvents, type SessionEndReason, type SessionRevokedBy } from '../core/session-events';

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
  /**
   * "Remember me": `false` gives the session a cookie without Max-Age (it ends when the browser closes) and the
   * shorter idle lifetime `config.browserSessionMaxAge`, until it is bound again. @default true
   */
  persistent?: boolean;
}

/**
 * Binds the session to a user (or unbinds it with `null`), so that {@link revokeUserSessions} can end every
 * session of that user and {@link listUserSessions} can list them. The binding is stored beside the data, not in
 * it, and is kept by regeneration. Call it when the user has just authenticated: it also records that instant,
 * which `requireFreshSession` judges (see {@link getSessionAuthTime}).
 *
 * @example
 * await regenerateSession(event, { keepData: false });
 * await setSessionUser(event, user.id, { label: deviceName(getHeader(event, 'user-agent')) });
 */
export async function setSessionUser(event: SessionEvent, userId: string | null, options: SetSessionUserOptions = {}): Promise<void> {
  if (userId !== null && (typeof userId !== 'string' || userId.length === 0)) {
    throw new TypeError('[@analog-tools/session] setSessionUser(): userId must be a non-empty string, or null to unbind.');
  }
  const { label, persistent } = options;
  if (label !== undefined && typeof label !== 'string') {
    throw new TypeError('[@analog-tools/session] setSessionUser(): options.label must be a string (or left out).');
  }
  if (persistent !== undefined && typeof persistent !== 'boolean') {
    throw new TypeError('[@analog-tools/session] setSessionUser(): options.persistent must be true or false (or left out).');
  }
  const state = requireSessionState(event, 'setSessionUser()');
  await withSessionLock(state, async () => {
    if (!state.key) await createSession(event, state, state.data, 'setSessionUser()');
    // On Redis Cluster a user's sessions live in the user's slot, beside the index revocation empties in one
    // script: binding moves the session to a new ID with the user's hash tag (the old cookie dies at once).
    const tag = state.store.hashTags && userId !== null ? await userSlotTag(userId) : undefined;
    const renameTo = tag && !state.id!.startsWith(tag) ? await newSessionKey(state.config.prefix, true, tag) : undefined;
    const authAt = Date.now();
    const bound = (current: SessionRecord) => ({
      data: current.data,
      userId: userId ?? undefined,
      authAt: userId === null ? undefined : authAt,
      ...(label === undefined ? {} : { label: cutLabel(label) }),
      ...(persistent === undefined ? {} : { persistent }),
    });
    await writeSession(event, state, 'setSessionUser()', bound, renameTo);
  });
}

/**
 * `label` cut to {@link MAX_SESSION_LABEL_LENGTH} UTF-16 units at a code point boundary: a cut through a surrogate
 * pair (an emoji) would leave half of it, which JSON and UIs render as garbage.
 */
function cutLabel(label: string): string {
  if (label.length <= MAX_SESSION_LABEL_LENGTH) return label;
  const last = label.charCodeAt(MAX_SESSION_LABEL_LENGTH - 1);
  return label.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_SESSION_LABEL_LENGTH - 1 : MAX_SESSION_LABEL_LENGTH);
}

/** The user the session is bound to, or `null` (anonymous, or no session). Synchronous. */
export function getSessionUser(event: SessionEvent): string | null {
  return getSessionState(event)?.record?.userId ?? null;
}

/**
 * When the session's user last authenticated (ms since epoch): the last {@link setSessionUser} to a user, kept by
 * regeneration. `null` when anonymous, or bound before this was recorded (an adopted 0.0.x session). Synchronous.
 */
export function getSessionAuthTime(event: SessionEvent): number | null {
  const record = getSessionState(event)?.record;
  return record?.userId === undefined ? null : (record.authAt ?? null);
}

/** Options of {@link revokeUserSessions}. */
export interface RevokeUserSessionsOptions {
  /** Keep the session of this request alive (e.g. "log out my other devices"). @default undefined */
  except?: SessionEvent;
  /** Store key prefix, as in the session config. @default `except`'s config's prefix, else 'sess:' */
  prefix?: string;
  /** Milliseconds before the store call fails with `STORAGE_ERROR`. @default 2000 */
  timeout?: number;
  /**
   * Why, as the ended sessions' open event streams are told and the `revoked` event says (e.g. 'password-changed').
   * @default 'signed-out-elsewhere' with `except`, else 'revoked'
   */
  reason?: SessionEndReason;
  /** Who revoked, as the `revoked` event says. @default 'other-device' with `except`, else 'admin' */
  by?: SessionRevokedBy;
}

/** Options of {@link revokeUserSessions} given a request: "sign out everywhere else". */
export interface RevokeOtherSessionsOptions {
  /** Why, as the ended sessions' open event streams are told. @default 'signed-out-elsewhere' */
  reason?: SessionEndReason;
}

/**
 * Ends every session bound to `userId` (see {@link setSessionUser}) in one step, on every instance: their
 * records are deleted, so their cookies lead to fresh anonymous sessions. No key scan: each user has an index
 * of their sessions. On Redis this is one atomic script, so a login that completes concurrently is either
 * revoked too or starts after the revocation, never half of each. Returns how many sessions were ended.
 * Given a request instead: every other session of that request's user ("sign out everywhere else"; 0 when it is
 * anonymous). Their open event streams (defineSessionEventsHandler) are told `reason`.
 *
 * @example
 * // after a password change: one call, the reason reaches the other devices' open tabs
 * await revokeUserSessions(event, { reason: 'password-changed' });
 * // an admin tool
 * await revokeUserSessions(store, user.id, { reason: 'account-locked' });
 */
export function revokeUserSessions(event: SessionEvent, options?: RevokeOtherSessionsOptions): Promise<number>;
export function revokeUserSessions(store: Storage<any>, userId: string, options?: RevokeUserSessionsOptions): Promise<number>;
export async function revokeUserSessions(
  target: Storage<any> | SessionEvent,
  userIdOrOptions?: string | RevokeOtherSessionsOptions,
  options: RevokeUserSessionsOptions = {},
): Promise<number> {
  if (!isStorage(target)) {
    const own = (userIdOrOptions ?? {}) as RevokeOtherSessionsOptions;
    const state = getSessionState(target);
    const userId = state?.record?.userId;
    if (!state) throw noSessionError('revokeUserSessions()');
    if (userId === undefined) return 0;
    const storage = state.config.store!;
    return revokeUserSessions(storage, userId, { except: target, reason: own.reason, by: 'other-device' });
  }
  const userId = userIdOrOptions as string;
  const { except, prefix, timeout } = options;
  const scope = await userScope('revokeUserSessions()', target, userId, { current: except, prefix, timeout });
  const keep = except ? getSessionState(except) : undefined;
  // After the caller's own pending writes, so "keep mine" sees the key they leave (a regeneration moves it).
  // Not under the caller's lock: two devices revoking each other at once must not wait on each other.
  if (keep && (keep.key || keep.fresh)) await withSessionLock(keep, async () => undefined);
  const { store: sessions, userSet } = scope;
  const revoked = await withStoreTimeout(
    sessions.backend,
    'revokeUserSessions()',
    scope.timeout,
    (deadline) => sessions.revokeUser(userSet!, keep?.key ?? undefined, deadline),
    sessions.telemetry,
  );
  const by = options.by ?? (except ? 'other-device' : 'admin');
  const reason = options.reason ?? (except ? 'signed-out-elsewhere' : 'revoked');
  await reportRevoked(sessions, revoked, userId, by, reason);
  return revoked.length;
}

/** Reports the `revoked` events of sessions a revocation deleted (those whose record was still there). */
export async function reportRevoked(
  sessions: SessionBackend,
  revoked: readonly DeletedMember[],
  userId: string,
  by: SessionRevokedBy,
  reason: SessionEndReason,
): Promise<void> {
  if (!isHeard(sessions.events)) return;
  const at = Date.now();
  const ended = revoked.filter((r) => r.raw !== null);
  const handles = await Promise.all(ended.map((r) => handleOf(r.member)));
  await reportSessionEvents(
    sessions.events,
    handles.map((session) => ({ type: 'revoked' as const, session, userId, by, reason, at })),
  );
}
