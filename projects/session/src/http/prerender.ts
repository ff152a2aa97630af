// Nitro prerenders pages at build time by fetching them from an in-process server. Such a request has no
// user, and the build has neither the runtime secret nor the store: it gets an anonymous session that
// lives in the request only, and the build log says once per route what that means.
import type { H3Event } from 'h3';
import {
  DEFAULT_COOKIE_OPTIONS,
  DEFAULT_SESSION_CONFIG,
  type ResolvedSessionConfig,
  type SessionConfig,
  type SessionData,
} from '../core/config';
import { createSessionState } from '../core/create-session-state';
import { SessionError } from '../core/errors';
import type { SessionState } from '../core/state';

/** The header Nitro 2's prerenderer sends with every route it fetches at build time; its value is the route. */
export const PRERENDER_HEADER = 'x-nitro-prerender';

/** Longest route quoted in a message: the header is also what any client may send. */
const MAX_QUOTED = 200;

/** Routes already announced in the build log; bounded, so a client sending the header cannot grow it. */
const announcedRoutes = new Set<string>();
const MAX_ANNOUNCED = 1000;

function quote(route: string): string {
  return JSON.stringify(route.length > MAX_QUOTED ? `${route.slice(0, MAX_QUOTED)}...` : route);
}

/** The route Nitro is prerendering with this request, or `undefined` for a request at run time. */
export function getPrerenderRoute(event: H3Event): string | undefined {
  // Node's own header map: h3's getRequestHeader() copies every header first, on every request.
  const header = event.node.req.headers[PRERENDER_HEADER];
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
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
      `[@analog-tools/session] prerendering ${quote(route)}: pages prerendered at build time are static and anonymous (no cookie read, ` +
        'no store, writes refused), so signed-in users get this signed-out copy. If the page shows session data, exclude it ' +
        'with analog({ prerender: { routes: [] } }) in vite.config.ts (or list only pages without session data).',
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

/** What a write during a prerender throws: the page would bake one visitor's session into a shared file. */
export function prerenderWriteError(caller: string, route: string): SessionError {
  return new SessionError(
    'INVALID_SESSION',
    `${caller}: cannot write a session while Nitro prerenders ${quote(route)} at build time: that page is one static file served to ` +
      'every visitor. Exclude it from prerendering with analog({ prerender: { routes: [] } }) (or list only pages that never write).',
  );
}
