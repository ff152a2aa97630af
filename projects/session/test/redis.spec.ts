import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnstorageStore } from '../src/index';
// @ts-expect-error plain ESM helper shared with e2e/ and bench/
import { startRedis } from '../../../tools/redis-server.mjs';
import { describeSessionStore } from './support/describe-session-store';
import { redisStore } from './support/stores';
import { Client, serve } from './support/http';
import { createSessionApp } from './support/session-app';

describeSessionStore('redis', redisStore);

describe('redis specifics', () => {
  let redis: { url: string; stop(): Promise<void> };
  let admin: InstanceType<typeof Redis>;
  let store: Awaited<ReturnType<typeof createUnstorageStore>>;
  let server: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url);
    store = await createUnstorageStore({ type: 'redis', options: { url: redis.url, base: 'app' } });
    server = await serve(createSessionApp(store, { maxAge: 3600 }).app);
  });
  afterAll(async () => {
    await server?.close();
    await store?.dispose();
    admin?.disconnect();
    await redis?.stop();
  });

  /** Redis commands per name since the last reset, from INFO commandstats. */
  async function commands(): Promise<Record<string, number>> {
    const info = await admin.info('commandstats');
    const counts: Record<string, number> = {};
    for (const match of info.matchAll(/cmdstat_(\w+):calls=(\d+)/g)) counts[match[1]] = Number(match[2]);
    delete counts['info'];
    delete counts['config'];
    return counts;
  }
  async function measure(run: () => Promise<unknown>): Promise<Record<string, number>> {
    await admin.config('RESETSTAT');
    await run();
    return commands();
  }

  it('expires keys in Redis itself (PTTL = the remaining maxAge), under the driver base', async () => {
    const client = new Client(server.url);
    await client.json('/set', { body: { a: 1 } });
    const keys = await admin.keys('*');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^app:sess:[0-9a-f]{64}$/);
    const ttl = await admin.pttl(keys[0]);
    expect(ttl).toBeGreaterThan(3_590_000);
    expect(ttl).toBeLessThanOrEqual(3_600_000);
  });

  it('uses exactly one GET per read request and no write', async () => {
    const client = new Client(server.url);
    await client.json('/set', { body: { a: 1 } });
    expect(
      await measure(async () => {
        for (let i = 0; i < 10; i++) await client.json('/session');
      }),
    ).toEqual({ get: 10 });
  });

  it('uses one GET and one script call per write request', async () => {
    const client = new Client(server.url);
    await client.json('/set', { body: { a: 1 } });
    const counts = await measure(async () => {
      for (let i = 0; i < 10; i++) await client.json('/inc', { method: 'POST' });
    });
    // Round trips: one GET (load) and one EVALSHA (compare-and-set). Redis also counts the calls made inside
    // the script: the GET that reads the current version and the SET that writes.
    // ioredis sends the script itself (EVAL) the first time a client runs it, EVALSHA after that. TIME: each
    // script's deadline check, and now and then the store's measurement of Redis' clock.
    const { eval: evals = 0, evalsha = 0, time = 0, ...rest } = counts;
    expect(time).toBeGreaterThanOrEqual(10);
    expect(evals + evalsha).toBe(10);
    expect(rest).toEqual({ get: 20, set: 10 });
  });

  it('uses no command at all for anonymous requests', async () => {
    expect(
      await measure(async () => {
        for (let i = 0; i < 10; i++) await new Client(server.url).json('/session');
      }),
    ).toEqual({});
  });
});
