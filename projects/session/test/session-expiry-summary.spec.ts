// The summary's expiry instants (as the store has them, with the server's clock) and its POST "touch", which slides
// the idle expiry by compare-and-set and never past the absolute one. Runs on every h3 flavor (vitest.h3v2.mts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRecord } from '../src/core/record';
import { Client, serve, type Served } from './support/http';
import { createSessionApp } from './support/session-app';
import { memoryStore, type StoreUnderTest } from './support/stores';

describe('summary expiry and touch', () => {
  let underTest: StoreUnderTest;
  let server: Served;
  let capped: Served;
  /** The stored record of the client's (only) session of `user`. */
  const stored = async (user: string) => {
    for (const key of await underTest.store.getKeys('sess')) {
      const record = parseRecord(await underTest.store.getItemRaw(key));
      if (record?.userId === user) return record;
    }
    throw new Error(`no record of ${user}`);
  };
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    underTest = await memoryStore();
    // touchAfter: a GET never slides the expiry here, so only the POST can.
    server = await serve(createSessionApp(underTest.store, { maxAge: 3600, touchAfter: 3000 }).app);
    capped = await serve(createSessionApp(underTest.store, { maxAge: 3600, touchAfter: 3000, absoluteTimeout: 60 }).app);
  });
  afterAll(async () => {
    await server.close();
    await capped.close();
    await underTest.dispose();
  });

  it('adds expiresAt, absoluteExpiresAt and now to a signed-in summary, after the selected fields', async () => {
    const client = new Client(server.url);
    await client.json('/login', { body: { user: 'ada' } });
    const before = Date.now();
    const summary = await client.json('/summary');
    const after = Date.now();
    expect(Object.keys(summary)).toEqual(['user', 'authenticated', 'expiresAt', 'absoluteExpiresAt', 'now']);
    expect(summary.expiresAt).toBe((await stored('ada')).expiresAt);
    expect(summary.absoluteExpiresAt).toBeNull();
    expect(summary.now).toBeGreaterThanOrEqual(before);
    expect(summary.now).toBeLessThanOrEqual(after);
    expect(await new Client(server.url).json('/summary')).toEqual({ authenticated: false });
  });

  it('slides the idle expiry on POST, in the store, and answers the new instants', async () => {
    const client = new Client(server.url);
    await client.json('/login', { body: { user: 'bob' } });
    const first = await client.json('/summary');
    await pause(20);
    expect((await client.json('/summary')).expiresAt).toBe(first.expiresAt);
    const touched = await client.json('/summary', { method: 'POST' });
    expect(touched.authenticated).toBe(true);
    expect(touched.expiresAt).toBeGreaterThan(first.expiresAt);
    expect(touched.expiresAt).toBe((await stored('bob')).expiresAt);
    expect(touched.user).toEqual({ id: 'bob', name: 'BOB' });
    // Parallel touches all succeed (compare-and-set retries on the freshest record), and the record stays one.
    const all = await Promise.all(Array.from({ length: 10 }, () => client.clone().json('/summary', { method: 'POST' })));
    expect(all.every((s) => s.authenticated === true)).toBe(true);
    expect((await stored('bob')).expiresAt).toBe(Math.max(...all.map((s) => s.expiresAt)));
  });

  it('never slides past the absolute expiry', async () => {
    const client = new Client(capped.url);
    await client.json('/login', { body: { user: 'cy' } });
    const touched = await client.json('/summary', { method: 'POST' });
    expect(touched.absoluteExpiresAt).toBe((await stored('cy')).absoluteExpiresAt);
    expect(touched.expiresAt).toBe(touched.absoluteExpiresAt);
    expect((await stored('cy')).expiresAt).toBe(touched.absoluteExpiresAt);
  });

  it('answers a POST of an anonymous or revoked session { authenticated: false }, writing nothing', async () => {
    const anonymous = new Client(server.url);
    const response = await anonymous.request('/summary', { method: 'POST' });
    expect(await response.json()).toEqual({ authenticated: false });
    expect(response.headers.getSetCookie()).toEqual([]);

    const client = new Client(server.url);
    await client.json('/login', { body: { user: 'dee' } });
    const copy = client.clone();
    await client.json('/destroy', { method: 'POST' });
    expect(await copy.json('/summary', { method: 'POST' })).toEqual({ authenticated: false });
  });
});
