// Ending one session of a user, named by the handle listUserSessions() gave: "sign out that device".
import type { Storage } from 'unstorage';
import { withStoreTimeout } from '../core/internal/with-store-timeout';
import { sessionHandle } from '../core/keys';
import type { SessionEvent } from '../http/event';
import { isStorage, userScope, type UserSessionsOptions } from './user-scope';

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
export function revokeUserSession(event: SessionEvent, handle: string): Promise<boolean>;
export function revokeUserSession(store: Storage<any>, userId: string, handle: string, options?: UserSessionsOptions): Promise<boolean>;
export async function revokeUserSession(
  target: SessionEvent | Storage<any>,
  userIdOrHandle: string,
  maybeHandle?: string,
  options: UserSessionsOptions = {},
): Promise<boolean> {
  const byEvent = !isStorage(target);
  const handle = byEvent ? userIdOrHandle : maybeHandle;
  const scope = await userScope('revokeUserSession()', target, byEvent ? undefined : userIdOrHandle, options);
  const { store, userSet } = scope;
  // Whatever a client posted: anything but a handle this user's list could show is simply not found.
  if (userSet === undefined || typeof handle !== 'string' || !HANDLE.test(handle)) return false;
  return withStoreTimeout(store.backend, 'revokeUserSession()', scope.timeout, async (deadline) => {
    for (const { member } of await store.listUser(userSet)) {
      if ((await sessionHandle(member)) === handle) return store.removeMember(userSet, member, deadline);
    }
    return false;
  });
}
