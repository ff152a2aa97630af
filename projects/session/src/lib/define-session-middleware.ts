import { defineEventHandler, type EventHandler } from 'h3';
import { resolveSessionConfig, type SessionConfig, type SessionData } from './session-config';
import { useSession } from './use-session';

/**
 * An Analog / Nitro server middleware that runs {@link useSession} for every request, so every server route
 * and page render can call `getSession(event)`. The config is validated when the middleware is defined, so a
 * missing store or a short production secret stops the server at start-up, not at the first request.
 * A request without a session cookie costs no store operation and gets no cookie unless it writes.
 *
 * @example
 * // src/server/middleware/session.ts
 * export default defineSessionMiddleware({ store, secret: process.env['SESSION_SECRET']! });
 */
export function defineSessionMiddleware<T extends SessionData = SessionData>(config: SessionConfig<T>): EventHandler<any, Promise<void>> {
  resolveSessionConfig(config, 'defineSessionMiddleware()');
  return defineEventHandler(async (event) => {
    await useSession(event, config);
  });
}
