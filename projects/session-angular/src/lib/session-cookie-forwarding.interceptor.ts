import { isPlatformServer } from '@angular/common';
import { HttpInterceptorFn } from '@angular/common/http';
import { PLATFORM_ID, inject } from '@angular/core';

import { SESSION_COOKIE_FORWARDING_FILTER, SESSION_SERVER_REQUEST, SESSION_XSRF } from './session-config';
import { SESSION_FORWARDING_SEEN } from './session-http-context';
import { NITRO_PRERENDER_HEADER, readRequestHeader } from './session-server-request';
import { readCookie } from './session-xsrf.interceptor';

/** Headers of the incoming request that same-origin requests made while rendering carry on. */
const FORWARDED_HEADERS = ['cookie', NITRO_PRERENDER_HEADER];

/** Methods the server's `csrf` option never checks: they need no token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * During server rendering, copies the incoming request's `cookie` header onto outgoing same-origin
 * requests (relative URLs and absolute ones on the server's own origin), so the summary, any API call and
 * Analog's page server loads see the visitor's session. Never to another origin, never in the browser (which
 * sends cookies itself), and never over a `cookie` header a request already has. Nitro's build-time prerender
 * header travels the same way, so the server also knows the in-process calls of a prerender for what they are.
 * An unsafe request (POST, PUT, ...) also gets the session's CSRF token, from the incoming `XSRF-TOKEN` cookie into
 * `X-XSRF-TOKEN`, as the browser's HttpClient would send it (the server's `csrf` option; names from `withXsrf()`).
 *
 * `provideSession(withAnalog())` from `@analog-tools/session-angular/analog` registers it. Registered by hand,
 * it must come BEFORE Analog's `requestContextInterceptor`, which answers `/api/...` in-process without calling
 * the interceptors after it:
 *
 * ```ts
 * provideHttpClient(
 *   withFetch(),
 *   withInterceptors([sessionUnauthorizedInterceptor, sessionCookieForwardingInterceptor, requestContextInterceptor]),
 * )
 * ```
 */
export const sessionCookieForwardingInterceptor: HttpInterceptorFn = (req, next) => {
  if (!isPlatformServer(inject(PLATFORM_ID))) return next(req);
  req.context.set(SESSION_FORWARDING_SEEN, true);
  const request = inject(SESSION_SERVER_REQUEST);
  const setHeaders: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = req.headers.has(name) ? null : readRequestHeader(request, name);
    if (value) setHeaders[name] = value;
  }
  const xsrf = inject(SESSION_XSRF);
  if (xsrf && !SAFE_METHODS.has(req.method) && !req.headers.has(xsrf.headerName)) {
    const token = readCookie(readRequestHeader(request, 'cookie'), xsrf.cookieName);
    if (token) setHeaders[xsrf.headerName] = token;
  }
  if (Object.keys(setHeaders).length === 0 || !inject(SESSION_COOKIE_FORWARDING_FILTER)(req)) return next(req);
  return next(req.clone({ setHeaders }));
};
