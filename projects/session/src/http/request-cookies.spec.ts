import type { H3Event } from 'h3';
import { describe, expect, it } from 'vitest';
import { MAX_SESSION_COOKIE_VALUES, readSessionCookies } from './request-cookies';

const withCookie = (cookie: string | string[] | undefined) => ({ node: { req: { headers: { cookie } } } }) as unknown as H3Event;
const read = (cookie: string | string[] | undefined) => readSessionCookies(withCookie(cookie), 'connect.sid');

describe('readSessionCookies', () => {
  it('finds the value among a browser’s other cookies, as sent', () => {
    expect(read('_ga=GA1.1.1; theme=dark; connect.sid=s%3Aabc.def; lang=en')).toEqual(['s%3Aabc.def']);
  });

  it('allows spaces and tabs around the name and the value', () => {
    expect(read('a=1;  connect.sid = s%3Aabc.def ;b=2')).toEqual(['s%3Aabc.def']);
    expect(read('a=1;\tconnect.sid\t=s%3Aabc.def')).toEqual(['s%3Aabc.def']);
  });

  it('ignores names that only start or end with the session cookie’s name', () => {
    expect(read('connect.sidX=1; xconnect.sid=2; connect.si=3; connect.sid')).toEqual([]);
    expect(read('connect.sid; other=connect.sid=4')).toEqual([]);
  });

  it('unquotes a quoted value', () => {
    expect(read('connect.sid="s%3Aabc.def"')).toEqual(['s%3Aabc.def']);
  });

  it('keeps every value in header order, at most MAX_SESSION_COOKIE_VALUES', () => {
    const header = Array.from({ length: MAX_SESSION_COOKIE_VALUES + 2 }, (_, i) => `connect.sid=v${i}`).join('; ');
    expect(read(header)).toEqual(Array.from({ length: MAX_SESSION_COOKIE_VALUES }, (_, i) => `v${i}`));
  });

  it('skips empty Cookie header lines and answers [] without one', () => {
    expect(read(['', 'connect.sid=v1'])).toEqual(['v1']);
    expect(read(undefined)).toEqual([]);
    expect(read('')).toEqual([]);
  });
});
