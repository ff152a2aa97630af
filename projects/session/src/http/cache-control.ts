import type { ResolvedSessionConfig } from '../core/config';
import { setResponseHeader, type SessionEvent } from './event';

/**
 * Sets the config's `Cache-Control` (default `private, no-store`) on a response that belongs to a session, so
 * that no shared cache hands it, or the cookie it sets, to another visitor. Called as soon as the session is
 * known, before any handler runs, so a handler may still set its own value afterwards; a write sets it again.
 */
export function markSessionResponse(event: SessionEvent, config: Pick<ResolvedSessionConfig, 'cacheControl'>): void {
  // Lower case, as Node keys it: another spelling costs Node a lower-cased copy per call.
  if (config.cacheControl) setResponseHeader(event, 'cache-control', config.cacheControl);
}
