import type { H3Event } from 'h3';
import { getRequestHeader } from 'h3';

/**
 * How many values of the session cookie one request may present. More than one means a cookie was tossed
 * (planted by a sibling subdomain, or with a longer path, so the browser sends it first); bounding the count
 * bounds the HMACs and store reads an attacker can make one request cost.
 */
export const MAX_SESSION_COOKIE_VALUES = 4;

/**
 * Every value of cookie `name` in the request's Cookie header, in header order, decoded as h3's getCookie
 * does, at most {@link MAX_SESSION_COOKIE_VALUES}. h3 keeps only the first value of a name.
 */
export function readSessionCookies(event: H3Event, name: string): string[] {
  const header = getRequestHeader(event, 'cookie');
  if (!header || !header.includes(name)) return [];
  const values: string[] = [];
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.codePointAt(0) === 34) value = value.slice(1, -1);
    values.push(decodeValue(value));
    if (values.length === MAX_SESSION_COOKIE_VALUES) break;
  }
  return values;
}

function decodeValue(value: string): string {
  // A signed value as we set it has one escape, its `s:` prefix: skip decodeURIComponent's scan and copy.
  if (value.startsWith('s%3A') && value.indexOf('%', 4) === -1) return `s:${value.slice(4)}`;
  try {
    return value.includes('%') ? decodeURIComponent(value) : value;
  } catch {
    return value;
  }
}
