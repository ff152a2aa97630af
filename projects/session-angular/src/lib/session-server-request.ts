/**
 * The incoming server request, as far as the session client needs it: a Fetch `Request` (Angular's `REQUEST`
 * token) or a Node `IncomingMessage` (Analog's `injectRequest()`). Without readable `headers` the visitor is
 * unknown (see `isStaticRender()`).
 */
export interface SessionServerRequest {
  headers?: { get(name: string): string | null } | Record<string, string | string[] | undefined>;
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

/**
 * The request's headers, or null when they cannot tell who the visitor is. Analog's Nitro 3 renderer (branch
 * `alpha`) hands `injectRequest()` two such shapes: a spread copy of the Node request (`{ ...event.node.req }`),
 * which has no `headers` because Node keeps them on the prototype, and, when there is no Node request (a
 * prerender), a stub whose only header is the `host` it made up. Every HTTP client sends more than `Host`.
 */
function readableHeaders(request: SessionServerRequest | null | undefined): SessionServerRequest['headers'] | null {
  const headers = request?.headers;
  if (!headers || typeof headers !== 'object') return null;
  if (typeof headers.get === 'function') return headers;
  const names = Object.keys(headers);
  return names.length === 0 || (names.length === 1 && names[0] === 'host') ? null : headers;
}

/** One header of a Fetch `Request` or a Node `IncomingMessage` (repeated ones joined), or null. */
export function readRequestHeader(request: SessionServerRequest | null | undefined, name: string): string | null {
  const headers = readableHeaders(request);
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
  const headers = readableHeaders(request);
  if (!request || !headers) return null;
  if (typeof headers.get === 'function') return parseOrigin(request.url);
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
 * True when this server render cannot be the visitor's own: a Nitro prerender at build time, a render without
 * an incoming request (Angular's build-time prerender), or one whose request has no readable headers. Such a
 * visitor is unknown, not anonymous: the summary the server read without a cookie is re-read after hydration.
 */
export function isStaticRender(request: SessionServerRequest | null | undefined): boolean {
  return readableHeaders(request) === null || readRequestHeader(request, NITRO_PRERENDER_HEADER) !== null;
}
