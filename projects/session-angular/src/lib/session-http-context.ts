import { HttpContext, HttpContextToken } from '@angular/common/http';

/**
 * Marks the requests `SessionService` sends itself (summary and logout), so the 401 interceptor
 * never answers a failing summary read with another summary read.
 */
export const SESSION_OWN_REQUEST = new HttpContextToken<boolean>(() => false);

/**
 * Set by `sessionCookieForwardingInterceptor` on every request it sees on the server. The context object
 * travels with every clone, so `SessionService` learns whether its summary read passed the interceptor or was
 * answered before it (Analog's `requestContextInterceptor` placed first answers without calling `next`).
 */
export const SESSION_FORWARDING_SEEN = new HttpContextToken<boolean>(() => false);

/** A fresh context carrying the `SESSION_OWN_REQUEST` mark. */
export function sessionRequestContext(): HttpContext {
  return new HttpContext().set(SESSION_OWN_REQUEST, true);
}
