import type { ResolvedSessionConfig, SessionData } from './config';
import type { SessionState } from './state';
import type { SessionStore } from './backend';

/**
 * A request's state before its cookie is read. Every field is declared here, the optional ones too, so that every
 * state useSession() builds keeps one shape: a read that keeps its signed cookie, a write that draws a new ID, or a
 * prerender fills a field instead of adding one (which in V8 moves the object to another hidden class and
 * allocates a property store).
 */
export function createSessionState<T extends SessionData>(config: ResolvedSessionConfig<T>, store: SessionStore): SessionState<T> {
  return {
    config,
    store,
    id: null,
    key: null,
    record: null,
    data: undefined as unknown as T,
    hadCookie: false,
    fresh: undefined,
    signed: undefined,
    prerender: undefined,
  };
}
