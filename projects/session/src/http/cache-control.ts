import type { H3Event } from 'h3';
import type { ResolvedSessionConfig } from '../core/config';

/**
 * Sets the config's `Cache-Control` (default `private, no-store`) on a response that belongs to a session, so
 * that no shared cache hands it, or the cookie it sets, to another visitor. Called as soon as the session is
 * known, before any handler runs, so a handler may still set its own value afterwards.
 */
export function markSessionResponse(event: H3Event, config: Pick<ResolvedSessionConfig, 'cacheControl'>, first = false): void {
  const res = event.node.res;
  // A write re-marks what useSession() marked: comparing is cheaper than setHeader's validation of the same value.
  // useSession() marks `first`, and would overwrite any other value anyway: it skips the comparison.
  // The name in lower case, as Node keys it: 'Cache-Control' costs a fresh lower-cased copy per call (tmp micro
  // benchmark of get + set on a new response: 1.7 -> 0.5 µs). HTTP/1.1 names are case-insensitive; HTTP/2 sends lower case.
  if (config.cacheControl && (first || res.getHeader('cache-control') !== config.cacheControl)) {
    res.setHeader('cache-control', config.cacheControl);
  }
}
