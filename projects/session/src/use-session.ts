import { loadSession } from './api/load-session';
import { attachSessionHandler } from './compat/v003/session-handler';
import { isV003Options, useV003Session } from './compat/v003/use-v003-session';
import type { H3SessionOptions, SessionDataT } from './compat/v003/v003-types';
import type { SessionConfig, SessionData } from './core/config';
import { SessionError } from './core/errors';
import type { SessionEvent } from './http/event';
import { getSessionState } from './http/session-state';

/** What useSession() returns when the session was ready at once: one settled promise for every such request. */
const DONE = Promise.resolve();

/**
 * Initializes the session of a request (see api/load-session.ts for what it guarantees). It also takes the
 * v0.0.3 config (`store` an `UnstorageSessionStore` or `RedisSessionStore`), then puts the v0.0.3
 * `event.context.sessionHandler` on the event; and, once a middleware ran it, no config at all.
 *
 * @example
 * await useSession(event, { store, secret: process.env['SESSION_SECRET']!, maxAge: 3600 });
 */
export function useSession<T extends SessionData = SessionData>(event: SessionEvent, config: SessionConfig<T>): Promise<void>;
export function useSession<T extends SessionDataT = SessionDataT>(event: SessionEvent, config: H3SessionOptions<T>): Promise<void>;
export function useSession(event: SessionEvent): Promise<void>;
export function useSession(event: SessionEvent, config?: SessionConfig<any> | H3SessionOptions<any>): Promise<void> {
  // Not `async`: an async function that returns another one's promise costs every request two more microtask ticks.
  try {
    if (config !== undefined && isV003Options(config)) return useV003Session(event, config);
    if (config) return loadSession(event, config as SessionConfig<any>) ?? DONE;
    if (!getSessionState(event)) {
      throw new SessionError(
        'INVALID_SESSION',
        'useSession(event): no session on this request yet. Run useSession(event, config) in a server middleware first ' +
          '(see defineSessionMiddleware), or pass the config here.',
      );
    }
    attachSessionHandler(event);
    return DONE;
  } catch (error) {
    return Promise.reject(error);
  }
}
