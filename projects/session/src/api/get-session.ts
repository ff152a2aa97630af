import type { SessionData } from '../core/config';
import type { SessionEvent } from '../http/event';
import { getSessionState } from '../http/session-state';

/**
 * The current session data, or `null` when useSession() has not run on this event. A synchronous read of
 * the event context: it never touches the store.
 *
 * @example
 * const session = getSession<UserSession>(event);
 * if (session?.userId) { ... }
 */
export function getSession<T extends SessionData = SessionData>(event: SessionEvent): T | null {
  return getSessionState<T>(event)?.data ?? null;
}
