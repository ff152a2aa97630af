/**
 * The incoming server request, as far as the session client needs it: a Fetch `Request` (Angular's `REQUEST`
 * token) or a Node `IncomingMessage` (Analog's `injectRequest()`).
 */
export interface SessionServerRequest {
  headers: { get(name: string): string | null } | Record<string, string | string[] | undefined>;
  /** Absolute on a Fetch `Request`; the path on a Node `IncomingMessage`. */
  url?: string;
  /** Node's socket: a TLS one has `encrypted: true`. */
  socket?: unknown;
}

/**
 * The header Nitro 2's prerenderer sends with every route it renders at build time (its value is the route).
 * The server package reads the same header to skip sessions for such requests.
 */
export const NITRO_PRERENDER_HEADER = 'x-nitro-prerender';

/** One header of a Fetch `Request` or a Node `IncomingMessage` (repeated ones joined), or null. */
export function readRequestHeader(request: SessionServerRequest | null | undefined, name: string): string | null {
  const headers = request?.headers;
  if (!headers) return null;
  if (typeof headers.get === 'function') return headers.get(name) || null;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  return (Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value) || null;
}

/**
 * The origin the visitor asked for: the URL of a Fetch `Request`, or for a Node `IncomingMessage` its `Host`
 * header with the protocol Analog's `BASE_URL` uses too (`x-forwarded-proto: https`, else the socket's TLS).
 * Null when the request says neither.
 */
export function requestOrigin(request: SessionServerRequest | null | undefined): string | null {
  if (!request) return null;
  if (typeof request.headers.get === 'function') return parseOrigin(request.url);
  const host = readRequestHeader(request, 'host');
  if (!host) return null;
  const forwarded = readRequestHeader(request, 'x-forwarded-proto')?.split(',')[0].trim();
  const encrypted = (request.socket as { encrypted?: unknown } | null | undefined)?.encrypted === true;
  const protocol = forwarded === 'https' || encrypted ? 'https' : 'http';
  return parseOrigin(`${protocol}://${host}`);
}

/** The origin of an absolute http(s) URL, or null. */
export function parseOrigin(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/**
 * True when this server render cannot be the visitor's own: a Nitro prerender at build time, or a render without
 * an incoming request (Angular's build-time prerender). Its summary is re-read after hydration.
 */
export function isStaticRender(request: SessionServerRequest | null | undefined): boolean {
  return !request || readRequestHeader(request, NITRO_PRERENDER_HEADER) !== null;
}
