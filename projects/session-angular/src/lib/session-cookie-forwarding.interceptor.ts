import { isPlatformServer } from '@angular/common';
import { HttpInterceptorFn } from '@angular/common/http';
import { PLATFORM_ID, inject } from '@angular/core';

import { SESSION_COOKIE_FORWARDING_FILTER, SESSION_SERVER_REQUEST, SessionServerRequest } from './session-config';

/**
 * During server rendering, copies the incoming request's `cookie` header onto outgoing same-origin
 * requests, so the summary (and any API call) sees the visitor's session. Does nothing in the browser,
 * which sends cookies itself, and never replaces a `cookie` header a request already has.
 *
 * It must come BEFORE Analog's `requestContextInterceptor`, which answers `/api/...` in-process without
 * calling the interceptors after it:
 *
 * ```ts
 * provideHttpClient(
 *   withFetch(),
 *   withInterceptors([sessionUnauthorizedInterceptor, sessionCookieForwardingInterceptor, requestContextInterceptor]),
 * )
 * ```
 *
 * The request comes from `SESSION_SERVER_REQUEST` (Angular's `REQUEST` by default); under Analog, use
 * `withServerCookieForwarding({ request: injectRequest })`.
 */
export const sessionCookieForwardingInterceptor: HttpInterceptorFn = (req, next) => {
  if (!isPlatformServer(inject(PLATFORM_ID)) || req.headers.has('cookie')) return next(req);
  const cookie = readCookieHeader(inject(SESSION_SERVER_REQUEST));
  if (!cookie || !inject(SESSION_COOKIE_FORWARDING_FILTER)(req)) return next(req);
  return next(req.clone({ setHeaders: { cookie } }));
};

/** The `cookie` header of a Fetch `Request` or a Node `IncomingMessage`, or null. */
export function readCookieHeader(request: SessionServerRequest | null | undefined): string | null {
  const headers = request?.headers;
  if (!headers) return null;
  if (typeof headers.get === 'function') return headers.get('cookie') || null;
  const value = (headers as Record<string, string | string[] | undefined>)['cookie'];
  return (Array.isArray(value) ? value.join('; ') : value) || null;
}
