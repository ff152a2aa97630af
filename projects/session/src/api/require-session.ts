import type { SessionData } from '../core/config';
import { SessionError } from '../core/errors';
import type { SessionEvent } from '../http/event';
import { getSessionUser } from '../users/session-user';
import { getSession } from './get-session';

/**
 * Returns the session of an authenticated request, or throws `SessionError` `UNAUTHORIZED` (401, fixed message)
 * for anyone else. "Authenticated" means bound to a user by `setSessionUser`, unless `check` says otherwise.
 *
 * @example
 * export default defineEventHandler((event) => {
 *   const session = requireSession<AppSession>(event);
 *   return { visits: session.visits };
 * });
 */
export function requireSession<T extends SessionData = SessionData>(
  event: SessionEvent,
  check?: (session: T, event: SessionEvent) => boolean,
): T {
  const session = getSession<T>(event);
  const allowed = session !== null && (check ? check(session, event) : getSessionUser(event) !== null);
  if (!allowed) throw new SessionError('UNAUTHORIZED', 'requireSession(): this request is not signed in.');
  return session;
}
