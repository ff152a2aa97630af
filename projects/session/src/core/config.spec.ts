import { createStorage } from 'unstorage';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_COOKIE_OPTIONS, DEFAULT_SESSION_CONFIG, resolveSessionConfig } from './config';

const store = createStorage();
const longSecret = 'test-secret-0123456789-abcdefghijklmnop';

describe('resolveSessionConfig', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });

  it('applies the documented defaults', () => {
    const config = resolveSessionConfig({ store, secret: longSecret });
    expect(config).toMatchObject({
      name: 'connect.sid',
      maxAge: 86400,
      saveUninitialized: false,
      prefix: 'sess:',
      timeout: 2000,
      touchAfter: 43200,
    });
    expect(config.cookie).toEqual({ path: '/', httpOnly: true, sameSite: 'lax', secure: true });
    expect(DEFAULT_SESSION_CONFIG.name).toBe('connect.sid');
    expect(DEFAULT_COOKIE_OPTIONS.sameSite).toBe('lax');
  });

  it('refuses a missing store with CONFIG_ERROR, naming the fix', () => {
    expect(() => resolveSessionConfig({ secret: longSecret } as never, 'defineSessionMiddleware()')).toThrowError(
      /defineSessionMiddleware\(\): config.store is missing.*createUnstorageStore/,
    );
    const notAStore = { secret: longSecret, store: {} } as never;
    expect(() => resolveSessionConfig(notAStore)).toThrowError(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });

  it('refuses a secret under 32 characters in production with CONFIG_ERROR, naming the fix', () => {
    vi.stubEnv('NODE_ENV', 'production');
    expect(() => resolveSessionConfig({ store, secret: 'short' })).toThrowError(/at least 32 characters.*openssl rand/);
    const oneShort = { store, secret: [longSecret, 'short'] };
    expect(() => resolveSessionConfig(oneShort)).toThrowError(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });

  // A Worker has no NODE_ENV, and many Node deployments never set it: only an explicit development or test run relaxes the check.
  it.each([
    [undefined, /here NODE_ENV is not set/],
    ['staging', /here NODE_ENV is "staging"/],
    ['', /here NODE_ENV is ""/],
  ])('refuses a short secret when NODE_ENV is %j, saying which NODE_ENV accepts it', (env, names) => {
    vi.stubEnv('NODE_ENV', env);
    const attempt = () => resolveSessionConfig({ store, secret: 'my-super-secret-key' });
    expect(attempt).toThrowError(expect.objectContaining({ code: 'CONFIG_ERROR' }));
    expect(attempt).toThrowError(
      /at least 32 characters \(got 19\).*openssl rand -base64 48.*only in development \(NODE_ENV 'development' or 'test'\)/,
    );
    expect(attempt).toThrowError(names);
  });

  it.each(['development', 'test'])('accepts a short secret with one warning per config when NODE_ENV is %j', (env) => {
    vi.stubEnv('NODE_ENV', env);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const first = { store, secret: 'short-1' };
    expect(resolveSessionConfig(first).secrets).toEqual(['short-1']);
    resolveSessionConfig(first);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/at least 32 characters \(got 7\).*Outside development .* it is refused\./));
    resolveSessionConfig({ store, secret: 'short-2' });
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('applies the cacheControl default and takes a string or false', () => {
    expect(resolveSessionConfig({ store, secret: longSecret }).cacheControl).toBe('private, no-store');
    expect(DEFAULT_SESSION_CONFIG.cacheControl).toBe('private, no-store');
    expect(resolveSessionConfig({ store, secret: longSecret, cacheControl: false }).cacheControl).toBe(false);
    expect(resolveSessionConfig({ store, secret: longSecret, cacheControl: 'private' }).cacheControl).toBe('private');
  });

  it.each([['a'.repeat(32)], [' '.repeat(40)], ['ab'.repeat(20)], ['0123456'.repeat(6)]])(
    'refuses the low-entropy secret %j in production and with no NODE_ENV with CONFIG_ERROR, naming the fix',
    (secret) => {
      for (const env of ['production', undefined]) {
        vi.stubEnv('NODE_ENV', env);
        expect(() => resolveSessionConfig({ store, secret })).toThrowError(/distinct characters.*openssl rand/);
        expect(() => resolveSessionConfig({ store, secret: [secret] })).toThrowError(expect.objectContaining({ code: 'CONFIG_ERROR' }));
      }
    },
  );

  it('accepts a low-entropy secret in development with one warning', () => {
    vi.stubEnv('NODE_ENV', 'development');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(resolveSessionConfig({ store, secret: 'x'.repeat(32) }).secrets).toEqual(['x'.repeat(32)]);
    expect(warn).toHaveBeenCalledOnce();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/only 1 distinct characters: it is a placeholder/));
  });

  it('accepts a random-looking secret in production and with no NODE_ENV, without a warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const env of ['production', undefined]) {
      vi.stubEnv('NODE_ENV', env);
      expect(resolveSessionConfig({ store, secret: 'test-secret-0123456789-abcdefghijklmnop' }).secrets).toHaveLength(1);
    }
    expect(warn).not.toHaveBeenCalled();
  });

  it('accepts a __Host- cookie name with the default cookie options', () => {
    expect(resolveSessionConfig({ store, secret: longSecret, name: '__Host-sid' }).name).toBe('__Host-sid');
    expect(resolveSessionConfig({ store, secret: longSecret, name: '__Secure-sid', cookie: { domain: 'example.com' } }).name).toBe(
      '__Secure-sid',
    );
  });

  it('keeps the default of a cookie option given as undefined (issue "Hardening, third round" item 5)', () => {
    const env: Record<string, string | undefined> = {};
    const cookie = {
      secure: env['COOKIE_SECURE'] === 'true' || undefined,
      httpOnly: undefined,
      sameSite: undefined,
      path: undefined,
      domain: undefined,
    };
    expect(resolveSessionConfig({ store, secret: longSecret, cookie }).cookie).toEqual(DEFAULT_COOKIE_OPTIONS);
    const secureOff = resolveSessionConfig({ store, secret: longSecret, cookie: { secure: false, httpOnly: undefined } }).cookie;
    expect(secureOff).toEqual({ ...DEFAULT_COOKIE_OPTIONS, secure: false });
  });

  it('keeps the default of every top-level option given as undefined', () => {
    const config = resolveSessionConfig({
      store,
      secret: longSecret,
      name: undefined,
      maxAge: undefined,
      prefix: undefined,
      timeout: undefined,
      touchAfter: undefined,
      pruneInterval: undefined,
      cacheControl: undefined,
      saveUninitialized: undefined,
      generate: undefined,
      legacySessions: undefined,
      absoluteTimeout: undefined,
      cookie: undefined,
    });
    expect(config).toMatchObject({ ...DEFAULT_SESSION_CONFIG, touchAfter: 43200, legacySessions: true, absoluteTimeout: undefined });
    expect(config.generate()).toEqual({});
    expect(config.cookie).toEqual(DEFAULT_COOKIE_OPTIONS);
  });

  it("lower-cases cookie.sameSite, so 'None' is checked and serialized as 'none'", () => {
    const config = resolveSessionConfig({ store, secret: longSecret, cookie: { sameSite: 'None' as never } });
    expect(config.cookie.sameSite).toBe('none');
    expect(resolveSessionConfig({ store, secret: longSecret, cookie: { sameSite: 'Strict' as never } }).cookie.sameSite).toBe('strict');
  });

  it.each([
    [{ secret: '' }, /non-empty/],
    [{ secret: [] }, /non-empty/],
    [{ maxAge: -1 }, /maxAge must be a positive number/],
    [{ maxAge: Number.NaN }, /maxAge/],
    [{ timeout: 0 }, /timeout/],
    [{ name: 'bad name;' }, /valid cookie name/],
    [{ cookie: { sameSite: 'none' as const, secure: false } }, /requires cookie.secure/],
    [{ cookie: { sameSite: 'None', secure: false } }, /sameSite 'none' requires cookie.secure/],
    [{ cookie: { sameSite: 'NONE', secure: false } }, /sameSite 'none' requires cookie.secure/],
    [{ cookie: { sameSite: 'sometimes' } }, /sameSite must be 'lax', 'strict', 'none' or a boolean/],
    [{ cookie: { partitioned: true, secure: false } }, /partitioned requires cookie.secure: true.*Remove secure: false/],
    [{ cacheControl: '' }, /cacheControl must be a Cache-Control value/],
    [{ cacheControl: true }, /cacheControl/],
    [{ name: '__Host-sid', cookie: { secure: false } }, /__Host- .*secure/],
    [{ name: '__Host-sid', cookie: { domain: 'example.com' } }, /__Host- .*domain/],
    [{ name: '__Host-sid', cookie: { path: '/app' } }, /__Host- .*path/],
    [{ name: '__host-sid', cookie: { secure: false } }, /__Host- .*secure/],
    [{ name: '__Secure-sid', cookie: { secure: false } }, /__Secure- .*secure/],
  ])('rejects %o with CONFIG_ERROR', (override, message) => {
    const config = { store, secret: longSecret, ...override } as never;
    expect(() => resolveSessionConfig(config)).toThrowError(message);
    expect(() => resolveSessionConfig(config)).toThrowError(expect.objectContaining({ code: 'CONFIG_ERROR' }));
  });
});
