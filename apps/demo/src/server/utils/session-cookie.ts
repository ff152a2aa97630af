/** The demo's session cookie name and whether it is `Secure`. */
export interface SessionCookieSettings {
  name: string;
  secure: boolean;
}

/**
 * The demo's session cookie, from `SESSION_COOKIE_SECURE`:
 * - unset, empty or `true` (the default): `__Host-sid`, `Secure`. Browsers accept a `__Host-` cookie only when it
 *   is Secure, host-only and `Path=/`, so no sibling subdomain can plant one ahead of it (cookie tossing).
 *   Chromium and Firefox accept Secure cookies from `http://localhost` and `http://127.0.0.1`, so local runs work.
 * - `false`: `sid` without `Secure`, for plain HTTP on any other host (e.g. `http://192.168.1.20:3000`), where a
 *   browser would drop a Secure cookie and no login would stick.
 *
 * Any other value fails at server start: a typo such as `SESSION_COOKIE_SECURE=0` must not silently pick one.
 */
export function sessionCookieSettings(env: NodeJS.ProcessEnv = process.env): SessionCookieSettings {
  const value = env['SESSION_COOKIE_SECURE'] ?? '';
  if (value === '' || value === 'true') return { name: '__Host-sid', secure: true };
  if (value === 'false') return { name: 'sid', secure: false };
  throw new Error(
    `[session demo] SESSION_COOKIE_SECURE must be 'true' or 'false', not '${value}'. ` +
      "Leave it unset (Secure __Host-sid cookie) or set 'false' to serve over plain HTTP on a host other than localhost.",
  );
}
