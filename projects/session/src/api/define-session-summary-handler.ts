import type { SessionConfig, SessionData } from '../core/config';
import { isSessionError } from '../core/errors';
import { withSessionLock } from '../core/write';
import { requestMethod, setResponseHeader, type SessionEvent } from '../http/event';
import { writeSession } from '../http/write-session';
import { getSessionUser } from '../users/session-user';
import { asEventHandler, type SessionEventHandler } from './event-handler';
import { handlerSession } from './load-session';

/** Options of {@link defineSessionSummaryHandler}. */
export interface SessionSummaryOptions<T extends SessionData = SessionData> {
  /** Session config, for apps without {@link defineSessionMiddleware}. @default undefined (use the middleware's) */
  config?: SessionConfig<T>;
  /** Decides `authenticated`. @default the session is bound to a user (see `setSessionUser`) */
  isAuthenticated?: (session: T, event: SessionEvent) => boolean;
}

/** The expiry instants of an authenticated summary, as the store has them. */
export interface SessionExpiry {
  /** Idle expiry (ms since epoch): the session ends then unless used (or touched) before. Null when not stored yet. */
  expiresAt: number | null;
  /** Absolute expiry (ms since epoch), which no activity moves; null without `absoluteTimeout`. */
  absoluteExpiresAt: number | null;
  /** The server's clock when it answered (ms since epoch): the client measures its own skew against it. */
  now: number;
}

/**
 * What a summary endpoint answers: the selector's fields plus `authenticated`, and, when authenticated, the
 * session's expiry instants (set after the selector's fields, so they always are the library's).
 */
export type SessionSummary<S> = Partial<S> & { authenticated: boolean } & Partial<SessionExpiry>;

/**
 * A handler for the public session summary that the Angular client reads. A GET answers
 * `{ ...select(session), authenticated, expiresAt, absoluteExpiresAt, now }` with `Cache-Control: no-store`; for an
 * anonymous request it answers `{ authenticated: false }` without calling `select`. A POST ("touch", for an idle
 * warning's "Stay signed in") first slides the idle expiry by a compare-and-set write, never past the absolute
 * one, then answers the same. Raw session data never leaves the server: only what the selector picks does, so pick
 * display fields, never tokens. Mount it for both methods (`session.ts`, or `session.get.ts` and `session.post.ts`).
 *
 * @example
 * // src/server/routes/api/session.ts (GET: summary, POST: touch)
 * export default defineSessionSummaryHandler<AppSession>((session) => ({ user: session.user }));
 */
export function defineSessionSummaryHandler<T extends SessionData = SessionData, S extends object = Record<string, never>>(
  select: (session: T, event: SessionEvent) => S,
  options: SessionSummaryOptions<T> = {},
): SessionEventHandler<Promise<SessionSummary<S>>> {
  return asEventHandler(async (event) => {
    const state = await handlerSession(event, options.config, 'defineSessionSummaryHandler()');
    setResponseHeader(event, 'Cache-Control', 'no-store');
    setResponseHeader(event, 'Vary', 'Cookie');
    const isAuthenticated = () =>
      options.isAuthenticated ? options.isAuthenticated(state.data, event) === true : getSessionUser(event) !== null;
    if (!isAuthenticated()) return { authenticated: false } as SessionSummary<S>;
    if (requestMethod(event) === 'POST' && state.key) {
      try {
        await withSessionLock(state, () =>
          writeSession(event, state, 'defineSessionSummaryHandler()', (current) => ({ data: current.data, userId: current.userId })),
        );
      } catch (error) {
        // Gone meanwhile (expired, revoked): the request is anonymous now, and says so.
        if (!(isSessionError(error) && error.code === 'EXPIRED_SESSION')) throw error;
      }
      if (!isAuthenticated()) return { authenticated: false } as SessionSummary<S>;
    }
    const picked = select(state.data, event);
    const { record } = state;
    const expiry: SessionExpiry = {
      expiresAt: record?.expiresAt ?? null,
      absoluteExpiresAt: record?.absoluteExpiresAt ?? null,
      now: Date.now(),
    };
    return { ...(picked && typeof picked === 'object' ? picked : {}), authenticated: true, ...expiry } as SessionSummary<S>;
  });
}
