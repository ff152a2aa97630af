import { HttpRequest } from '@angular/common/http';
import { InjectionToken, REQUEST, inject } from '@angular/core';

import { SessionServerRequest, requestOrigin } from './session-server-request';

/** Defaults of the client's settings; each `with*()` feature of `provideSession()` overrides one of them. */
export const DEFAULT_SESSION_CLIENT_CONFIG = {
  /** GET endpoint answering the session summary. */
  summaryUrl: '/api/session',
  /** POST endpoint that ends the session. */
  logoutUrl: '/api/auth/logout',
  /** Re-read the summary when a tab regains focus this many ms after the last read. */
  refreshOnFocusAfterMs: 30_000,
  /** BroadcastChannel name other tabs of the same origin listen on. */
  crossTabChannel: 'analog-session',
  /** Re-read the summary when an API call answers 401. */
  unauthorizedRefresh: true,
  /** Cookie the server's `csrf` option sets with the session's token (what Angular's HttpClient reads too). */
  xsrfCookieName: 'XSRF-TOKEN',
  /** Header the server's `csrf` option checks on unsafe requests (what Angular's HttpClient sends too). */
  xsrfHeaderName: 'X-XSRF-TOKEN',
} as const;

/** Where the session's CSRF token is read and sent; `false` when the app turned it off. */
export interface SessionXsrfSettings {
  cookieName: string;
  headerName: string;
}

/**
 * The CSRF token's cookie and header, for `sessionXsrfInterceptor` and the server-side forwarding.
 * @default { cookieName: 'XSRF-TOKEN', headerName: 'X-XSRF-TOKEN' }
 */
export const SESSION_XSRF = new InjectionToken<SessionXsrfSettings | false>('SESSION_XSRF', {
  providedIn: 'root',
  factory: () => ({ cookieName: DEFAULT_SESSION_CLIENT_CONFIG.xsrfCookieName, headerName: DEFAULT_SESSION_CLIENT_CONFIG.xsrfHeaderName }),
});

/** URL of the summary endpoint. @default '/api/session' */
export const SESSION_SUMMARY_URL = new InjectionToken<string>('SESSION_SUMMARY_URL', {
  providedIn: 'root',
  factory: () => DEFAULT_SESSION_CLIENT_CONFIG.summaryUrl,
});

/** URL of the logout endpoint. @default '/api/auth/logout' */
export const SESSION_LOGOUT_URL = new InjectionToken<string>('SESSION_LOGOUT_URL', {
  providedIn: 'root',
  factory: () => DEFAULT_SESSION_CLIENT_CONFIG.logoutUrl,
});

/** Minimum ms since the last read before focus or visibility triggers a new one; `false` turns it off. @default 30_000 */
export const SESSION_REFRESH_ON_FOCUS = new InjectionToken<number | false>('SESSION_REFRESH_ON_FOCUS', {
  providedIn: 'root',
  factory: () => DEFAULT_SESSION_CLIENT_CONFIG.refreshOnFocusAfterMs,
});

/** BroadcastChannel name for cross-tab sync; `false` turns it off. @default 'analog-session' */
export const SESSION_CROSS_TAB_CHANNEL = new InjectionToken<string | false>('SESSION_CROSS_TAB_CHANNEL', {
  providedIn: 'root',
  factory: () => DEFAULT_SESSION_CLIENT_CONFIG.crossTabChannel,
});

/** Whether `sessionUnauthorizedInterceptor` re-reads the summary on a 401. @default true */
export const SESSION_UNAUTHORIZED_REFRESH = new InjectionToken<boolean>('SESSION_UNAUTHORIZED_REFRESH', {
  providedIn: 'root',
  factory: () => DEFAULT_SESSION_CLIENT_CONFIG.unauthorizedRefresh,
});

/**
 * The incoming request whose `cookie` header is forwarded during server rendering.
 * @default Angular's `REQUEST` token from `@angular/core` (null when nothing provides it)
 */
export const SESSION_SERVER_REQUEST = new InjectionToken<SessionServerRequest | null>('SESSION_SERVER_REQUEST', {
  providedIn: 'root',
  factory: () => inject(REQUEST, { optional: true }),
});

/**
 * The server's own origin while rendering: absolute URLs on it (what Analog's page loads and `injectBaseURL()`
 * produce) get the cookie like relative ones.
 * @default the origin of the incoming request (its URL, or its `Host` header and protocol)
 */
export const SESSION_SERVER_ORIGIN = new InjectionToken<string | null>('SESSION_SERVER_ORIGIN', {
  providedIn: 'root',
  factory: () => requestOrigin(inject(SESSION_SERVER_REQUEST)),
});

/**
 * Which outgoing requests get the incoming cookie during server rendering.
 * @default same-origin URLs (relative ones, and absolute ones on `SESSION_SERVER_ORIGIN`) and the summary and logout URLs
 */
export const SESSION_COOKIE_FORWARDING_FILTER = new InjectionToken<(req: HttpRequest<unknown>) => boolean>(
  'SESSION_COOKIE_FORWARDING_FILTER',
  {
    providedIn: 'root',
    factory: () => {
      const own = [inject(SESSION_SUMMARY_URL), inject(SESSION_LOGOUT_URL)];
      const origin = inject(SESSION_SERVER_ORIGIN);
      return (req) => own.includes(req.url) || isSameOrigin(req.url, origin);
    },
  },
);

/**
 * Set by `withServerCookieForwarding()` (and so by `withAnalog()`): the app means the summary to pass
 * `sessionCookieForwardingInterceptor`, so a server render where it did not fails with the fix in its message.
 * @default false
 */
export const SESSION_FORWARDING_EXPECTED = new InjectionToken<boolean>('SESSION_FORWARDING_EXPECTED', {
  providedIn: 'root',
  factory: () => false,
});

// Resolves relative URLs when the server's origin is unknown; `.invalid` never names a real host (RFC 2606).
const UNKNOWN_ORIGIN = 'http://unknown-origin.invalid';

/**
 * Whether a request to `url` made on the server reaches `origin`. Parsed the way the server's `fetch` parses it
 * (absolute when it parses alone, so `http:evil.test` is evil.test), else resolved against the origin the way
 * Analog resolves relative URLs; never by prefix, so `//host`, `/\host`, `http://origin@host`, `http://origin.host`,
 * another port or another scheme are other origins.
 */
export function isSameOrigin(url: string, origin: string | null): boolean {
  const base = origin ?? UNKNOWN_ORIGIN;
  return (parseUrl(url) ?? parseUrl(url, base))?.origin === new URL(base).origin;
}

function parseUrl(url: string, base?: string): URL | null {
  try {
    return new URL(url, base);
  } catch {
    return null;
  }
}
