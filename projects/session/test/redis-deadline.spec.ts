// A write answered 503 (STORAGE_ERROR) on Redis was not applied, and never will be: every write script carries
// a deadline in Redis' clock and refuses to run past it. CLIENT PAUSE WRITE is what a failover does to writers.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnstorageStore } from '../src/index';
// @ts-expect-error plain ESM helper shared with e2e/ and bench/
import { startRedis } from '../../../tools/redis-server.mjs';
import { Client, serve } from './support/http';
import { createSessionApp } from './support/session-app';

const PAUSE_MS = 3000;
const TIMEOUT_MS = 1000;

describe('redis: a write answered STORAGE_ERROR is never applied', () => {
  let redis: { url: string; stop(): Promise<void> };
  let admin: InstanceType<typeof Redis>;
  let store: Awaited<ReturnType<typeof createUnstorageStore>>;
  let server: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url);
    store = await createUnstorageStore({ type: 'redis', options: { url: redis.url } });
    server = await serve(createSessionApp(store, { timeout: TIMEOUT_MS }).app);
  });
  afterAll(async () => {
    await server?.close();
    await store?.dispose();
    admin?.disconnect();
    await redis?.stop();
  });

  /** Every key with its value, as Redis holds them. */
  async function snapshot(): Promise<Record<string, string | null>> {
    const keys = (await admin.keys('*')).sort();
    return Object.fromEntries(await Promise.all(keys.map(async (key) => [key, await admin.get(key)] as const)));
  }

  it(`a write, a regenerate and a destroy during CLIENT PAUSE ${PAUSE_MS} WRITE answer 503, and change nothing when it ends`, async () => {
    const writer = new Client(server.url);
    await writer.json('/set', { body: { a: 1 } });
    const regenerator = new Client(server.url);
    await regenerator.json('/set', { body: { b: 1 } });
    const destroyer = new Client(server.url);
    await destroyer.json('/set', { body: { c: 1 } });
    const before = await snapshot();
    const oldCookies = regenerator.clone();
    const destroyerCookies = destroyer.clone();

    await admin.call('CLIENT', 'PAUSE', String(PAUSE_MS), 'WRITE');
    const pausedAt = Date.now();
    const answers = await Promise.all([
      writer.request('/set', { body: { a: 2 } }),
      regenerator.request('/regenerate', { method: 'POST' }),
      destroyer.request('/destroy', { method: 'POST' }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([503, 503, 503]);
    expect(Date.now() - pausedAt).toBeLessThan(PAUSE_MS);

    // The pause ends; the scripts Redis held run now, past their deadline.
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS - (Date.now() - pausedAt) + 200));
    await admin.ping();
    expect(await snapshot()).toEqual(before);
    expect(await writer.json('/session')).toMatchObject({ data: { a: 1 } });
    // The regenerate did not rename the record after the fact: the old cookie still signs in.
    expect(await oldCookies.json('/session')).toMatchObject({ data: { b: 1 } });
    // The destroy was not applied either (its 503 may clear the browser's cookie; the session is still there).
    expect(await destroyerCookies.json('/session')).toMatchObject({ data: { c: 1 } });
    // And the store works as before.
    expect(await writer.json('/set', { body: { a: 3 } })).toEqual({ a: 3 });
  }, 15_000);
});
