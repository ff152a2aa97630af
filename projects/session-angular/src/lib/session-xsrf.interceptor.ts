import { DOCUMENT, isPlatformBrowser } from '@angular/common';
import { HttpInterceptorFn } from '@angular/common/http';
import { PLATFORM_ID, inject } from '@angular/core';

import { SESSION_XSRF, isSameOrigin } from './session-config';

/** Methods that never carry the token: the server never checks them. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * In the browser, sets the session's CSRF token (cookie `XSRF-TOKEN`, set by the server's `csrf` option) as
 * `X-XSRF-TOKEN` on unsafe requests to absolute URLs on the page's own origin (`https://app.example/api/...`, what
 * `injectBaseURL()` builds). Angular's own XSRF interceptor covers relative URLs; older releases skipped every absolute
 * URL (`http://`, `https://`), while 21.2 compares origins and already covers them: this one then adds nothing, as it
 * never overwrites a header the request has. Never for another origin, never on the server (see
 * `sessionCookieForwardingInterceptor`).
 *
 * `provideSession(withAnalog())` registers it. By hand, list it in `withInterceptors()`:
 *
 * ```ts
 * provideHttpClient(
 *   withFetch(),
 *   withInterceptors([sessionUnauthorizedInterceptor, sessionCookieForwardingInterceptor, sessionXsrfInterceptor]),
 * )
 * ```
 */
export const sessionXsrfInterceptor: HttpInterceptorFn = (req, next) => {
  const xsrf = inject(SESSION_XSRF);
  if (!xsrf || SAFE_METHODS.has(req.method) || !isPlatformBrowser(inject(PLATFORM_ID)) || req.headers.has(xsrf.headerName))
    return next(req);
  const document = inject(DOCUMENT);
  if (!isAbsolute(req.url) || !isSameOrigin(req.url, document.location.origin)) return next(req);
  const token = readCookie(document.cookie, xsrf.cookieName);
  return token ? next(req.clone({ setHeaders: { [xsrf.headerName]: token } })) : next(req);
};

/** Absolute or scheme-relative. */
function isAbsolute(url: string): boolean {
  return /^([a-z][a-z\d+.-]*:|[/\\]{2})/i.test(url);
}

/** The value of cookie `name` in a `Cookie` header or `document.cookie` string, decoded; null when absent. */
export function readCookie(cookies: string | null | undefined, name: string): string | null {
  for (const part of (cookies ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value) || null;
    } catch {
      return value || null;
    }
  }
  return null;
}
