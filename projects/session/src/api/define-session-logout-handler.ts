import type { SessionConfig, SessionData } from '../core/config';
import { setResponseHeader } from '../http/event';
import { getSessionState } from '../http/session-state';
import { destroySession } from './destroy-session';
import { asEventHandler, type SessionEventHandler } from './event-handler';
import { loadSession } from './load-session';

/** Options of {@link defineSessionLogoutHandler}. */
export interface SessionLogoutOptions<T extends SessionData = SessionData> {
  /** Session config, for apps without {@link defineSessionMiddleware}. @default undefined (use the middleware's) */
  config?: SessionConfig<T>;
}

/**
 * A POST handler that destroys the session (record and cookie) and answers `{ authenticated: false }` with
 * `Cache-Control: no-store`. Safe to call without a session.
 *
 * @example
 * // src/server/routes/api/auth/logout.post.ts
 * export default defineSessionLogoutHandler();
 */
export function defineSessionLogoutHandler<T extends SessionData = SessionData>(
  options: SessionLogoutOptions<T> = {},
): SessionEventHandler<Promise<{ authenticated: false }>> {
  return asEventHandler(async (event) => {
    if (!getSessionState(event) && options.config) await loadSession(event, options.config);
    await destroySession(event);
    setResponseHeader(event, 'Cache-Control', 'no-store');
    return { authenticated: false as const };
  });
}
