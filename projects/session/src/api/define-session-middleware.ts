import { defineEventHandler, type EventHandler } from 'h3';
import { isPending } from '../core/internal/is-pending';
import { getPrerenderRoute } from '../http/prerender';
import { resolveSessionConfig, storeInitError, type SessionConfig, type SessionData } from '../core/config';
import { useSession } from '../use-session';

/**
 * An Analog / Nitro server middleware that runs {@link useSession} for every request, so every server route
 * and page render can call `getSession(event)`. A request without a session cookie costs no store operation
 * and gets no cookie unless it writes.
 *
 * Defining it checks nothing, because building and prerendering run without the runtime secret and store.
 * The config is validated at the first request that is not a Nitro prerender: a missing store or secret, a
 * short secret in production or an invalid option fails it with `SessionError` `CONFIG_ERROR`, whose message
 * names the fix. Prerender requests get an anonymous session (see the README's "Prerendering").
 *
 * @example
 * // src/server/middleware/session.ts
 * export default defineSessionMiddleware({ store, secret: process.env['SESSION_SECRET']! });
 */
export function defineSessionMiddleware<T extends SessionData = SessionData>(config: SessionConfig<T>): EventHandler<any, Promise<void>> {
  const pending = config?.store;
  if (isPending(pending)) {
    // Say it at start-up rather than at the first request, and keep the rejection from ending the process.
    pending.then(undefined, (error: unknown) => console.error(storeInitError('defineSessionMiddleware()', error).message));
  }
  // Not `async`: useSession() already answers with a promise (a settled one when the session is ready at once).
  return defineEventHandler((event) => {
    if (getPrerenderRoute(event) === undefined) {
      try {
        resolveSessionConfig(config, 'defineSessionMiddleware()');
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return useSession(event, config);
  });
}
