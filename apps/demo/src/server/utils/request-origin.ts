import { getRequestHeader, type H3Event } from 'h3';

/**
 * Whether to believe the `X-Forwarded-*` headers: only when the demo runs behind a reverse proxy that sets
 * them, and that nobody can reach around. Anyone can send these headers, so they are ignored by default.
 * Read at each call, so that tests can switch it.
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

/**
 * The origin this request was sent to, `scheme://host[:port]` as a browser serializes it: the scheme of the
 * connection (https when it is TLS) and the `Host` header, or the proxy's `X-Forwarded-Proto` and
 * `X-Forwarded-Host` when {@link trustsProxy}. Null when the host does not make a valid URL.
 */
export function requestOrigin(event: H3Event): string | null {
  const proxied = trustsProxy();
  const tls = 'encrypted' in event.node.req.socket && event.node.req.socket.encrypted === true;
  const scheme = (proxied && forwardedHeader(event, 'x-forwarded-proto')) || (tls ? 'https' : 'http');
  const host = (proxied && forwardedHeader(event, 'x-forwarded-host')) || getRequestHeader(event, 'host');
  if (!host || (scheme !== 'http' && scheme !== 'https')) return null;
  try {
    return new URL(`${scheme}://${host}`).origin;
  } catch {
    return null;
  }
}
