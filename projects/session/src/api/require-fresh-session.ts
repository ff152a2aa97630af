import type { SessionData } from '../core/config';
import { SessionError } from '../core/errors';
import type { SessionEvent } from '../http/event';
import { asHostError } from '../http/host-error';
import { getSessionAuthTime } from '../users/session-user';
import { requireSession } from './require-session';

/** Options of {@link requireFreshSession}. */
export interface RequireFreshSessionOptions {
  /** Seconds since the user last authenticated (see `setSessionUser`) within which the action is allowed. */
  maxAge: number;
}

/**
 * Step-up check for a sensitive action (change the password, sign out other devices, delete the account): returns
 * the session when its user authenticated within `maxAge` seconds, else throws an HTTP error 401 whose body's
 * `data.code` is `STALE_SESSION` (fixed message `Re-authentication required`), which the client answers by asking
 * the user to sign in again. Anonymous requests get `requireSession`'s 401 (`data.code` `UNAUTHORIZED`).
 *
 * @example
 * export default defineEventHandler(async (event) => {
 *   const session = requireFreshSession<AppSession>(event, { maxAge: 5 * 60 });
 *   return { revoked: await revokeUserSessions(store, session.user.id, { except: event }) };
 * });
 */
export function requireFreshSession<T extends SessionData = SessionData>(event: SessionEvent, options: RequireFreshSessionOptions): T {
  const maxAge = options?.maxAge;
  if (typeof maxAge !== 'number' || !(maxAge > 0) || !Number.isFinite(maxAge)) {
    throw new TypeError(
      `[@analog-tools/session] requireFreshSession(): options.maxAge must be a positive number of seconds, got ${String(maxAge)}.`,
    );
  }
  const session = requireSession<T>(event);
  const authAt = getSessionAuthTime(event);
  if (authAt === null || Date.now() - authAt > maxAge * 1000) {
    const message = `requireFreshSession(): the user authenticated more than ${maxAge} s ago; sign in again.`;
    throw asHostError(new SessionError('STALE_SESSION', message, { authenticatedAt: authAt }));
  }
  return session;
}
