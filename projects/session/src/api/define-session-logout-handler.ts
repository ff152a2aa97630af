import { defineEventHandler, setResponseHeader, type EventHandler } from 'h3';
import { destroySession } from './destroy-session';
import type { SessionConfig, SessionData } from '../core/config';
import { getSessionState } from '../core/state';
import { useSession } from './load-session';

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
): EventHandler<any, Promise<{ authenticated: false }>> {
  return defineEventHandler(async (event) => {
    if (!getSessionState(event) && options.config) await useSession(event, options.config);
    await destroySession(event);
    setResponseHeader(event, 'Cache-Control', 'no-store');
    return { authenticated: false as const };
  });
}
