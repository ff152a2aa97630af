// Nitro prerenders pages at build time by fetching them from an in-process server. Such a request has no
// user, and the build has neither the runtime secret nor the store: it gets an anonymous session that
// lives in the request only, and the build log says once per route what that means.
import {
  DEFAULT_COOKIE_OPTIONS,
  DEFAULT_SESSION_CONFIG,
  type ResolvedSessionConfig,
  type SessionConfig,
  type SessionData,
} from '../core/config';
import { quoteRoute } from '../core/errors';
import { createSessionState, type SessionState } from '../core/state';
import { requestHeader, type SessionEvent } from './event';
import { readSessionCookies } from './request-cookies';

/** The header Nitro's prerenderer (2 and 3) sends with every route it fetches at build time; its value is the route. */
export const PRERENDER_HEADER = 'x-nitro-prerender';

/** Routes already announced in the build log; bounded, so a client sending the header cannot grow it. */
const announcedRoutes = new Set<string>();
const MAX_ANNOUNCED = 1000;

/**
 * The route Nitro is prerendering with this request, or `undefined` for a request at run time. Any client can send
 * the header, so it counts only on a request without a session cookie, as the prerenderer's are: a visitor who
 * sends it with their cookie gets their session (a logout really logs out), and without one only an anonymous
 * session that refuses writes.
 */
export function getPrerenderRoute(event: SessionEvent, config: Pick<SessionConfig, 'name'> | undefined): string | undefined {
  const value = requestHeader(event, PRERENDER_HEADER);
  if (value === undefined) return undefined;
  if (readSessionCookies(event, config?.name ?? DEFAULT_SESSION_CONFIG.name).length > 0) return undefined;
  try {
    return decodeURI(value);
  } catch {
    return value;
  }
}

/**
 * The session of a prerender request: the config's generated data, no cookie read or set, no store, nothing
 * validated. Writes are refused (see {@link prerenderWriteError}).
 */
export function createPrerenderState<T extends SessionData>(config: SessionConfig<T> | undefined, route: string): SessionState<T> {
  if (!announcedRoutes.has(route) && announcedRoutes.size < MAX_ANNOUNCED) {
    announcedRoutes.add(route);
    console.warn(
      `[@analog-tools/session] prerendering ${quoteRoute(route)}: pages prerendered at build time are static and anonymous ` +
        '(no cookie read, no store, writes refused), so signed-in users get this signed-out copy. If the page shows session ' +
        'data, exclude it with analog({ prerender: { routes: [] } }) in vite.config.ts (or list only pages without session data).',
    );
  }
  const generate = typeof config?.generate === 'function' ? config.generate : () => ({}) as T;
  // Nothing reads more of the config on a request that can neither write nor carry a cookie.
  const resolved = { ...DEFAULT_SESSION_CONFIG, cookie: DEFAULT_COOKIE_OPTIONS, secrets: [], generate };
  const state = createSessionState(resolved as unknown as ResolvedSessionConfig<T>, undefined as never);
  state.data = generate();
  state.prerender = route;
  return state;
}
