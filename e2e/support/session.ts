import { expect, test, type APIRequestContext, type BrowserContext, type Cookie } from '@playwright/test';
import { SESSION_COOKIE } from './env';

/** The demo accounts documented in apps/demo/README.md. */
export const ADA = { username: 'ada', password: 'lovelace-demo', name: 'Ada Lovelace' } as const;
export const GRACE = { username: 'grace', password: 'hopper-demo', name: 'Grace Hopper' } as const;

/** The session cookie of a browser context, or undefined. */
export async function sessionCookie(context: BrowserContext): Promise<Cookie | undefined> {
  return (await context.cookies()).find((cookie) => cookie.name === SESSION_COOKIE);
}

/** The demo's origin, which state-changing requests must send as `Origin` (as a browser does). */
export function demoOrigin(): string {
  return test.info().project.use.baseURL!;
}

/** The name of the cookie holding the session's CSRF token (the session's `csrf` option), which Angular sends back. */
export const XSRF_COOKIE = 'XSRF-TOKEN';

/**
 * The headers a page of the demo sends on a POST through Angular's HttpClient: its `Origin`, and the session's token
 * from the `XSRF-TOKEN` cookie in `X-XSRF-TOKEN` (when the context has one: a signed-in session).
 */
export async function sameOrigin(request: APIRequestContext): Promise<Record<string, string>> {
  const token = (await request.storageState()).cookies.find((cookie) => cookie.name === XSRF_COOKIE)?.value;
  return { Origin: demoOrigin(), ...(token ? { 'X-XSRF-TOKEN': token } : {}) };
}

/** Logs in through the API (sharing the context's cookie jar), for tests about something else than the form. */
export async function logInWithApi(request: APIRequestContext, user: { username: string; password: string }): Promise<void> {
  const response = await request.post('/api/auth/login', {
    data: { username: user.username, password: user.password },
    headers: { Origin: demoOrigin() },
  });
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ authenticated: true });
}

/** `s:<id>.<signature>` after URL-decoding, as cookie-signature / express-session write it. */
export const SIGNED_COOKIE = /^s:[^.]+\.[A-Za-z0-9+/_-]+$/;
