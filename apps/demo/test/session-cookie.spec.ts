import { describe, expect, it } from 'vitest';
import { sessionCookieSettings } from '../src/server/utils/session-cookie';

describe('sessionCookieSettings', () => {
  it('is a Secure __Host- cookie unless told otherwise', () => {
    expect(sessionCookieSettings({})).toEqual({ name: '__Host-sid', secure: true });
    expect(sessionCookieSettings({ SESSION_COOKIE_SECURE: '' })).toEqual({ name: '__Host-sid', secure: true });
    expect(sessionCookieSettings({ SESSION_COOKIE_SECURE: 'true' })).toEqual({ name: '__Host-sid', secure: true });
  });

  it('drops Secure, and with it the __Host- prefix, only for an explicit SESSION_COOKIE_SECURE=false', () => {
    expect(sessionCookieSettings({ SESSION_COOKIE_SECURE: 'false' })).toEqual({ name: 'sid', secure: false });
  });

  it('refuses any other value at start instead of guessing', () => {
    for (const value of ['0', '1', 'no', 'FALSE', ' false']) {
      expect(() => sessionCookieSettings({ SESSION_COOKIE_SECURE: value }), value).toThrow(
        /SESSION_COOKIE_SECURE must be 'true' or 'false'/,
      );
    }
  });
});
