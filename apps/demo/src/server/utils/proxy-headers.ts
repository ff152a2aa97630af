import { getRequestHeader, type H3Event } from 'h3';

/**
 * Whether to believe the `X-Forwarded-*` headers: only when the demo runs behind a reverse proxy that sets
 * them, and that nobody can reach around. Anyone can send these headers, so they are ignored by default.
 * Read at each call (the session's CSRF check reads it once, when session-config.ts loads).
 * @default false (env `TRUST_PROXY=true` turns it on)
 */
export function trustsProxy(): boolean {
  return process.env['TRUST_PROXY'] === 'true';
}

/**
 * The value the trusted proxy wrote into an `X-Forwarded-*` header: the last one in the list, because a proxy
 * appends to what the client sent and the client controls everything before it.
 */
export function forwardedHeader(event: H3Event, name: string): string | undefined {
  return getRequestHeader(event, name)?.split(',').pop()?.trim() || undefined;
}
