import { createStorage } from 'unstorage';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineSessionMiddleware } from './define-session-middleware';
import { DEFAULT_COOKIE_OPTIONS, DEFAULT_SESSION_CONFIG, resolveSessionConfig } from './session-config';

const store = createStorage();
const longSecret = 'a'.repeat(32);

describe('resolveSessionConfig', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('applies the documented defaults', () => {
    const config = resolveSessionConfig({ store, secret: longSecret });
    expect(config).toMatchObject({ name: 'connect.sid', maxAge: 86400, saveUninitialized: false, prefix: 'sess:', timeout: 2000, touchAfter: 43200 });
    expect(config.cookie).toEqual({ path: '/', httpOnly: true, sameSite: 'lax', secure: true });
    expect(DEFAULT_SESSION_CONFIG.name).toBe('connect.sid');
    expect(DEFAULT_COOKIE_OPTIONS.sameSite).toBe('lax');
  });

  it('fails at start-up on a missing store, naming the fix', () => {
    expect(() => defineSessionMiddleware({ secret: longSecret } as never)).toThrowError(/defineSessionMiddleware\(\): config.store is missing.*createUnstorageStore/);
    expect(() => defineSessionMiddleware({ secret: longSecret, store: {} } as never)).toThrowError(expect.objectContaining({ code: 'STORAGE_ERROR' }));
  });

  it('refuses a secret under 32 characters in production, naming the fix', () => {
    vi.stubEnv('NODE_ENV', 'production');
    expect(() => defineSessionMiddleware({ store, secret: 'short' })).toThrowError(/at least 32 characters.*openssl rand/);
    expect(() => defineSessionMiddleware({ store, secret: [longSecret, 'short'] })).toThrowError(expect.objectContaining({ code: 'CRYPTO_ERROR' }));
  });

  it('warns once about a short secret outside production', () => {
    vi.stubEnv('NODE_ENV', 'development');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    resolveSessionConfig({ store, secret: 'short-1' });
    resolveSessionConfig({ store, secret: 'short-2' });
    expect(warn.mock.calls.length).toBeLessThanOrEqual(1);
  });

  it.each([
    [{ secret: '' }, /non-empty/],
    [{ secret: [] }, /non-empty/],
    [{ maxAge: -1 }, /maxAge must be a positive number/],
    [{ maxAge: Number.NaN }, /maxAge/],
    [{ timeout: 0 }, /timeout/],
    [{ name: 'bad name;' }, /valid cookie name/],
    [{ cookie: { sameSite: 'none' as const, secure: false } }, /requires cookie.secure/],
  ])('rejects %o', (override, message) => {
    expect(() => resolveSessionConfig({ store, secret: longSecret, ...override } as never)).toThrowError(message);
  });
});
