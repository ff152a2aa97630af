import { createError, type H3Event } from 'h3';
import type { SessionData } from '../core/config';
import { getSession } from './load-session';
import { getSessionUser } from '../users/session-user';

/**
 * Returns the session of an authenticated request, or throws h3's 401 error (fixed message) for anyone
 * else. "Authenticated" means bound to a user by `setSessionUser`, unless `check` says otherwise.
 *
 * @example
 * export default defineEventHandler((event) => {
 *   const session = requireSession<AppSession>(event);
 *   return { visits: session.visits };
 * });
 */
export function requireSession<T extends SessionData = SessionData>(event: H3Event, check?: (session: T, event: H3Event) => boolean): T {
  const session = getSession<T>(event);
  const allowed = session !== null && (check ? check(session, event) : getSessionUser(event) !== null);
  if (!allowed) throw createError({ statusCode: 401, statusMessage: 'Unauthorized' });
  return session;
}
