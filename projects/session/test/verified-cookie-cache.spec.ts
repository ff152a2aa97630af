// The verified-cookie cache (a returning visitor skips the HMAC): bounded by sessions, not by spellings, holding
// no records, and forgetting a destroyed session's cookie.
import { afterEach, describe, expect, it } from 'vitest';
import { createUnstorageStore } from '../src/index';
import { resolveSessionConfig } from '../src/core/config';
import { Client, serve, type Served } from './support/http';
import { COOKIE, createSessionApp } from './support/session-app';

let server: Served | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** `value` with each of its `count` last characters percent-encoded or not, by the bits of `mask`. */
function spelling(value: string, mask: number, count: number): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    const fromEnd = value.length - 1 - i;
    const escaped = `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;
    out += fromEnd < count && mask & (1 << fromEnd) ? escaped : encodeURIComponent(char);
  }
  return out;
}

describe('the verified-cookie cache', () => {
  it('remembers one entry per session, whatever spellings of its cookie arrive, and still serves each spelling', async () => {
    const store = await createUnstorageStore({ type: 'memory' });
    const { app, config } = createSessionApp(store);
    server = await serve(app);
    const ada = new Client(server.url);
    await ada.json('/login', { body: { user: 'ada' } });
    const cache = resolveSessionConfig(config).verifiedCookies;
    const before = cache.size;
    const value = ada.cookies.get(COOKIE)!;
    for (let mask = 1; mask < 64; mask++) {
      const response = await fetch(`${server.url}/session`, { headers: { cookie: `${COOKIE}=${spelling(value, mask, 8)}` } });
      expect(await response.json()).toMatchObject({ user: 'ada' });
    }
    // 63 spellings of one cookie used to take 63 slots (the bound is 10,000: about 160 sessions flushed everybody).
    expect(cache.size).toBeLessThanOrEqual(before + 1);
  });

  it('forgets the cookie of a destroyed session', async () => {
    const store = await createUnstorageStore({ type: 'memory' });
    const { app, config } = createSessionApp(store);
    server = await serve(app);
    const ada = new Client(server.url);
    await ada.json('/login', { body: { user: 'ada' } });
    await ada.json('/session');
    const cache = resolveSessionConfig(config).verifiedCookies;
    const sent = encodeURIComponent(ada.cookies.get(COOKIE)!);
    expect(cache.get(sent)).toBeDefined();
    await ada.json('/destroy', { method: 'POST' });
    expect(cache.get(sent)).toBeUndefined();
  });
});
