import { requestHeader, type SessionEvent } from './event';

/**
 * How many values of the session cookie one request may present. More than one means a cookie was tossed
 * (planted by a sibling subdomain, or with a longer path, so the browser sends it first); bounding the count
 * bounds the HMACs and store reads an attacker can make one request cost.
 */
export const MAX_SESSION_COOKIE_VALUES = 4;

/**
 * Every value of cookie `name` in the request's Cookie header, in header order, at most
 * {@link MAX_SESSION_COOKIE_VALUES}, as sent: unquoted but still percent-encoded (decodeCookieValue decodes one
 * as h3's getCookie does). The verified-cookie cache is looked up with these slices of the header, so a returning
 * visitor's cookie is never decoded: only one that needs its signature checked is. h3 keeps only the first value
 * of a name.
 */
export function readSessionCookies(event: SessionEvent, name: string): string[] {
  const header = requestHeader(event, 'cookie');
  if (!header || !header.includes(name)) return [];
  const values: string[] = [];
  // A scan from ';' to ';' rather than split(): no array of every cookie of the site per request.
  // Names are compared in place (no slice per cookie of the site); only a matching value is sliced.
  for (let start = 0; start < header.length && values.length < MAX_SESSION_COOKIE_VALUES;) {
    let end = header.indexOf(';', start);
    if (end === -1) end = header.length;
    let at = start;
    while (isBlank(header.charCodeAt(at))) at++;
    if (header.startsWith(name, at)) {
      let eq = at + name.length;
      while (isBlank(header.charCodeAt(eq))) eq++;
      if (eq < end && header.charCodeAt(eq) === 61) {
        let value = header.slice(eq + 1, end).trim();
        if (value.codePointAt(0) === 34) value = value.slice(1, -1);
        values.push(value);
      }
    }
    start = end + 1;
  }
  return values;
}

/** Space or tab: what may surround a cookie's name (String.prototype.trim also drops others, never sent in a header). */
function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

/** A raw cookie value decoded as h3's getCookie decodes it (an undecodable one stays as sent). */
export function decodeCookieValue(value: string): string {
  // A signed value as we set it has one escape, its `s:` prefix: skip decodeURIComponent's scan and copy.
  if (value.startsWith('s%3A') && value.indexOf('%', 4) === -1) return `s:${value.slice(4)}`;
  try {
    return value.includes('%') ? decodeURIComponent(value) : value;
  } catch {
    return value;
  }
}
