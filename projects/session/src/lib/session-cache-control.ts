import { setResponseHeader, type H3Event } from 'h3';
import type { ResolvedSessionConfig } from './session-config';

/**
 * Sets the config's `Cache-Control` (default `private, no-store`) on a response that belongs to a session, so
 * that no shared cache hands it, or the cookie it sets, to another visitor. Called as soon as the session is
 * known, before any handler runs, so a handler may still set its own value afterwards.
 */
export function markSessionResponse(event: H3Event, config: Pick<ResolvedSessionConfig, 'cacheControl'>): void {
  // A write re-marks what useSession() marked: comparing is cheaper than setHeader's validation of the same value.
  if (config.cacheControl && event.node.res.getHeader('cache-control') !== config.cacheControl) {
    setResponseHeader(event, 'Cache-Control', config.cacheControl);
  }
}
