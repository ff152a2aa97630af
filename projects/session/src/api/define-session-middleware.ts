import { DEFAULT_SESSION_CONFIG, storeInitError, type SessionConfig, type SessionData } from '../core/config';
import { isSessionError } from '../core/errors';
import { isPending } from '../core/internal/is-pending';
import { carrySessionHeaders, isWebEvent, type SessionEvent } from '../http/event';
import { asHostError } from '../http/host-error';
import { getSessionState } from '../http/session-state';
import { asEventHandler, type SessionEventHandler } from './event-handler';
import { loadSession } from './load-session';

/**
 * A server middleware for h3 v1 and v2 (Analog, Nitro 2 and 3, Nuxt, plain h3) that runs `useSession` for every
 * request, so every server route and page render can call `getSession(event)`. A request without a session cookie
 * costs no store operation and gets no cookie unless it writes.
 *
 * Defining it checks nothing, because building and prerendering run without the runtime secret and store.
 * The config is validated at the first request that is not a Nitro prerender: a missing store or secret, a
 * short secret in production or an invalid option fails it with `SessionError` `CONFIG_ERROR`, whose message
 * names the fix. Prerender requests get an anonymous session (see the README's "Prerendering").
 *
 * On h3 v2 it also wraps the rest of the request: the session cookie and `Cache-Control` move onto a thrown HTTP
 * error (Nitro 3 answers an error with its headers alone), a `SessionError` reaches the host as the HTTP error it
 * stands for (401, 503), and a write after the response is recognised as late.
 *
 * @example
 * // src/server/middleware/session.ts
 * export default defineSessionMiddleware({ store, secret: process.env['SESSION_SECRET']! });
 */
export function defineSessionMiddleware<T extends SessionData = SessionData>(
  config: SessionConfig<T>,
): SessionEventHandler<Promise<unknown>> {
  const pending = config?.store;
  if (isPending(pending)) {
    // Say it at start-up rather than at the first request, and keep the rejection from ending the process.
    pending.then(undefined, (error: unknown) => console.error(storeInitError('defineSessionMiddleware()', error).message));
  }
  const cookieName = config?.name ?? DEFAULT_SESSION_CONFIG.name;
  return asEventHandler((event: SessionEvent, next?: () => unknown): Promise<unknown> => {
    let loaded: Promise<void> | void;
    try {
      loaded = loadSession(event, config, 'defineSessionMiddleware()');
    } catch (error) {
      return Promise.reject(failed(event, error, cookieName));
    }
    // h3 v1 calls a middleware without `next`, and goes on when it resolves to undefined.
    if (typeof next !== 'function' || !isWebEvent(event)) return loaded ?? DONE;
    const rest = () => around(event, next, cookieName);
    return loaded ? loaded.then(rest, (error: unknown) => Promise.reject(failed(event, error, cookieName))) : rest();
  });
}

const DONE = Promise.resolve(undefined);

/** Runs the rest of a v2 request, then marks the session as answered; a thrown error takes the session's headers. */
function around(event: SessionEvent, next: () => unknown, cookieName: string): Promise<unknown> {
  let result: unknown;
  try {
    result = next();
  } catch (error) {
    return Promise.reject(failed(event, error, cookieName));
  }
  return Promise.resolve(result).then(
    (value) => {
      answered(event);
      // A returned error Response: h3 takes the headers it adds from errHeaders.
      const status = (value as { status?: unknown } | null | undefined)?.status;
      if (typeof status === 'number' && status >= 400) carrySessionHeaders(event, undefined, cookieName);
      return value;
    },
    (error: unknown) => Promise.reject(failed(event, error, cookieName)),
  );
}

/** Marks the request's session as answered: a cookie set from now on cannot reach the browser. */
function answered(event: SessionEvent): void {
  const state = getSessionState(event);
  if (state) state.responded = true;
}

/**
 * What a v2 request that failed (in the session's read, or in a later handler) throws to its host: a SessionError as
 * the HTTP error it stands for, carrying the session's headers (cookie, Cache-Control). Anything else on v1.
 */
function failed(event: SessionEvent, error: unknown, cookieName: string): unknown {
  if (!isWebEvent(event)) return error;
  answered(event);
  const thrown = isSessionError(error) ? asHostError(error) : error;
  if (thrown !== null && typeof thrown === 'object') carrySessionHeaders(event, thrown as { headers?: Headers }, cookieName);
  return thrown;
}
