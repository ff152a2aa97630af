import { resolveSessionConfig, storeInitError, type SessionConfig, type SessionData } from '../core/config';
import { isSessionError } from '../core/errors';
import { isPending } from '../core/internal/is-pending';
import { isWebEvent, moveSessionHeadersToError, type SessionEvent } from '../http/event';
import { asHostError } from '../http/host-error';
import { getPrerenderRoute } from '../http/prerender';
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
  return asEventHandler((event: SessionEvent, next?: () => unknown): Promise<unknown> => {
    let loaded: Promise<void> | void;
    try {
      if (getPrerenderRoute(event, config) === undefined) resolveSessionConfig(config, 'defineSessionMiddleware()');
      loaded = loadSession(event, config);
    } catch (error) {
      return Promise.reject(hostError(event, error));
    }
    // h3 v1 calls a middleware without `next`, and goes on when it resolves to undefined.
    if (typeof next !== 'function' || !isWebEvent(event)) return loaded ?? DONE;
    return loaded
      ? loaded.then(
          () => around(event, next),
          (error: unknown) => Promise.reject(hostError(event, error)),
        )
      : around(event, next);
  });
}

const DONE = Promise.resolve(undefined);

/** Runs the rest of a v2 request, then marks the session as answered; a thrown error takes the session's headers. */
function around(event: SessionEvent, next: () => unknown): Promise<unknown> {
  let result: unknown;
  try {
    result = next();
  } catch (error) {
    return Promise.reject(settle(event, error));
  }
  return Promise.resolve(result).then(
    (value) => {
      settle(event, undefined);
      return value;
    },
    (error: unknown) => Promise.reject(settle(event, error)),
  );
}

/** Marks the request's session as answered and, for a thrown error, gives it the session's headers. */
function settle(event: SessionEvent, error: unknown): unknown {
  const state = getSessionState(event);
  if (state) state.responded = true;
  if (error === undefined) return undefined;
  const thrown = hostError(event, error);
  if (state && thrown !== null && typeof thrown === 'object')
    moveSessionHeadersToError(event, thrown as { headers?: Headers }, state.config.name);
  return thrown;
}

/** A SessionError as the HTTP error a v2 host recognises; anything else unchanged. */
function hostError(event: SessionEvent, error: unknown): unknown {
  return isWebEvent(event) && isSessionError(error) ? asHostError(error) : error;
}
