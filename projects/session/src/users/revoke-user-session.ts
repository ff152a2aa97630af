// Ending one session of a user, named by the handle listUserSessions() gave: "sign out that device".
import type { Storage } from 'unstorage';
import { withStoreTimeout } from '../core/internal/with-store-timeout';
import { sessionHandle } from '../core/keys';
import type { SessionEvent } from '../http/event';
import { isStorage, userScope, type UserSessionsOptions } from './user-scope';
import { isHeard, reportSessionEvents, type SessionEndReason, type SessionRevokedBy } from '../core/session-events';

/** Options of {@link revokeUserSession} given a request. */
export interface RevokeUserSessionOptions {
  /** Why, as the session's open event streams are told and the `revoked` event says. @default 'signed-out-elsewhere' */
  reason?: SessionEndReason;
}

/** Options of {@link revokeUserSession} given the Storage and a user ID. */
export interface RevokeUserSessionAdminOptions extends UserSessionsOptions {
  /** Why, as the session's open event streams are told and the `revoked` event says. @default 'revoked' */
  reason?: SessionEndReason;
  /** Who revoked, as the `revoked` event says. @default 'admin' */
  by?: SessionRevokedBy;
}

/** The shape of the handles listUserSessions() gives. */
const HANDLE = /^[0-9a-f]{32}$/;

/**
 * Ends one session of a user: its record is deleted, so its cookie leads to a fresh anonymous session on
 * every instance. Given a request, only a session of that request's own user can be named (a handle of
 * anybody else's session is not found); given the Storage and a user ID, one of that user's. Returns false
 * when no live session of the user has this handle (already ended, a handle from elsewhere, not a handle
 * at all: a value posted by a client needs no validation first). To end the
 * request's own session use `destroySession(event)`, which also clears its cookie.
 *
 * @example
 * // POST /api/sessions/revoke { handle }
 * const { handle } = await readBody(event);
 * if (!(await revokeUserSession(event, handle))) throw createError({ statusCode: 404 });
 */
export function revokeUserSession(event: SessionEvent, handle: string, options?: RevokeUserSessionOptions): Promise<boolean>;
export function revokeUserSession(
  store: Storage<any>,
  userId: string,
  handle: string,
  options?: RevokeUserSessionAdminOptions,
): Promise<boolean>;
export async function revokeUserSession(
  target: SessionEvent | Storage<any>,
  userIdOrHandle: string,
  handleOrOptions?: string | RevokeUserSessionOptions,
  adminOptions: RevokeUserSessionAdminOptions = {},
): Promise<boolean> {
  const byEvent = !isStorage(target);
  const handle = byEvent ? userIdOrHandle : handleOrOptions;
  const options: RevokeUserSessionAdminOptions = byEvent ? ((handleOrOptions ?? {}) as RevokeUserSessionOptions) : adminOptions;
  const scope = await userScope('revokeUserSession()', target, byEvent ? undefined : userIdOrHandle, options);
  const { store, userSet } = scope;
  // Whatever a client posted: anything but a handle this user's list could show is simply not found.
  if (userSet === undefined || typeof handle !== 'string' || !HANDLE.test(handle)) return false;
  let current = false;
  const removed = await withStoreTimeout(
    store.backend,
    'revokeUserSession()',
    scope.timeout,
    async (deadline) => {
      for (const { member } of await store.listUser(userSet)) {
        if ((await sessionHandle(member)) !== handle) continue;
        current = scope.currentKey !== undefined && store.memberName(scope.currentKey) === member;
        return store.removeMember(userSet, member, deadline);
      }
      return false;
    },
    store.telemetry,
  );
  if (removed && isHeard(store.events)) {
    const by = options.by ?? (!byEvent ? 'admin' : current ? 'self' : 'other-device');
    const reason = options.reason ?? (byEvent ? 'signed-out-elsewhere' : 'revoked');
    await reportSessionEvents(store.events, [{ type: 'revoked', session: handle, userId: scope.userId!, by, reason, at: Date.now() }]);
  }
  return removed;
}
