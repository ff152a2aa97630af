import { HttpRequest } from '@angular/common/http';
import { InjectionToken, REQUEST, inject } from '@angular/core';

/** Defaults of every setting; each `with*()` feature of `provideSession()` overrides one of them. */
export const DEFAULT_SESSION_CONFIG = {
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
} as const;

/**
 * The incoming server request, as far as cookie forwarding needs it: a Fetch `Request`
 * (Angular's `REQUEST` token) or a Node `IncomingMessage` (Analog's `injectRequest()`).
 */
export interface SessionServerRequest {
  headers: { get(name: string): string | null } | Record<string, string | string[] | undefined>;
}

/** URL of the summary endpoint. @default '/api/session' */
export const SESSION_SUMMARY_URL = new InjectionToken<string>('SESSION_SUMMARY_URL', {
  providedIn: 'root',
  factory: () => DEFAULT_SESSION_CONFIG.summaryUrl,
});

/** URL of the logout endpoint. @default '/api/auth/logout' */
export const SESSION_LOGOUT_URL = new InjectionToken<string>('SESSION_LOGOUT_URL', {
  providedIn: 'root',
  factory: () => DEFAULT_SESSION_CONFIG.logoutUrl,
});

/** Minimum ms since the last read before focus or visibility triggers a new one; `false` turns it off. @default 30_000 */
export const SESSION_REFRESH_ON_FOCUS = new InjectionToken<number | false>('SESSION_REFRESH_ON_FOCUS', {
  providedIn: 'root',
  factory: () => DEFAULT_SESSION_CONFIG.refreshOnFocusAfterMs,
});

/** BroadcastChannel name for cross-tab sync; `false` turns it off. @default 'analog-session' */
export const SESSION_CROSS_TAB_CHANNEL = new InjectionToken<string | false>('SESSION_CROSS_TAB_CHANNEL', {
  providedIn: 'root',
  factory: () => DEFAULT_SESSION_CONFIG.crossTabChannel,
});

/** Whether `sessionUnauthorizedInterceptor` re-reads the summary on a 401. @default true */
export const SESSION_UNAUTHORIZED_REFRESH = new InjectionToken<boolean>('SESSION_UNAUTHORIZED_REFRESH', {
  providedIn: 'root',
  factory: () => DEFAULT_SESSION_CONFIG.unauthorizedRefresh,
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
 * Which outgoing requests get the incoming cookie during server rendering.
 * @default relative same-origin URLs (`/api/...`, not `//host/...`) and the summary and logout URLs
 */
export const SESSION_COOKIE_FORWARDING_FILTER = new InjectionToken<(req: HttpRequest<unknown>) => boolean>(
  'SESSION_COOKIE_FORWARDING_FILTER',
  {
    providedIn: 'root',
    factory: () => {
      const own = [inject(SESSION_SUMMARY_URL), inject(SESSION_LOGOUT_URL)];
      return (req) => isRelativeUrl(req.url) || own.includes(req.url);
    },
  },
);

function isRelativeUrl(url: string): boolean {
  return url.startsWith('/') && !url.startsWith('//');
}
