import type { SessionConfig, SessionData } from '../core/config';
import { SessionError } from '../core/errors';
import { setResponseHeader, type SessionEvent } from '../http/event';
import { getSessionState } from '../http/session-state';
import { getSessionUser } from '../users/session-user';
import { asEventHandler, type SessionEventHandler } from './event-handler';
import { loadSession } from './load-session';

/** Options of {@link defineSessionSummaryHandler}. */
export interface SessionSummaryOptions<T extends SessionData = SessionData> {
  /** Session config, for apps without {@link defineSessionMiddleware}. @default undefined (use the middleware's) */
  config?: SessionConfig<T>;
  /** Decides `authenticated`. @default the session is bound to a user (see `setSessionUser`) */
  isAuthenticated?: (session: T, event: SessionEvent) => boolean;
}

/** What a summary endpoint answers: the selector's fields plus `authenticated`. */
export type SessionSummary<S> = Partial<S> & { authenticated: boolean };

/**
 * A GET handler for the public session summary that the Angular client reads. It answers
 * `{ ...select(session), authenticated }` with `Cache-Control: no-store`; for an anonymous request it answers
 * `{ authenticated: false }` without calling `select`. Raw session data never leaves the server: only what
 * the selector picks does, so pick display fields, never tokens.
 *
 * @example
 * // src/server/routes/api/session.get.ts
 * export default defineSessionSummaryHandler<AppSession>((session) => ({ user: session.user }));
 */
export function defineSessionSummaryHandler<T extends SessionData = SessionData, S extends object = Record<string, never>>(
  select: (session: T, event: SessionEvent) => S,
  options: SessionSummaryOptions<T> = {},
): SessionEventHandler<Promise<SessionSummary<S>>> {
  return asEventHandler(async (event) => {
    if (!getSessionState(event)) {
      if (!options.config) {
        throw new SessionError(
          'INVALID_SESSION',
          'defineSessionSummaryHandler(): no session on this request. Install defineSessionMiddleware(config), or pass { config }.',
        );
      }
      await loadSession(event, options.config);
    }
    setResponseHeader(event, 'Cache-Control', 'no-store');
    setResponseHeader(event, 'Vary', 'Cookie');
    const session = getSessionState<T>(event)!.data;
    const authenticated = options.isAuthenticated ? options.isAuthenticated(session, event) === true : getSessionUser(event) !== null;
    if (!authenticated) return { authenticated: false } as SessionSummary<S>;
    const picked = select(session, event);
    return { ...(picked && typeof picked === 'object' ? picked : {}), authenticated: true } as SessionSummary<S>;
  });
}
