// Nitro's useStorage('sessions') is unstorage's prefixStorage over the root storage, and its getMount() reports
// the ROOT mount. Records must still land in the `sessions` mount, and on Redis the Redis backend must be used.
import { Redis } from 'ioredis';
import * as unstorage1 from 'unstorage';
import memory1 from 'unstorage/drivers/memory';
import redis1 from 'unstorage/drivers/redis';
import * as unstorage2 from 'unstorage2';
import memory2 from 'unstorage2/drivers/memory';
import redis2 from 'unstorage2/drivers/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSessionBackend } from '../src/stores/get-backend';
// @ts-expect-error plain ESM helper shared with e2e/ and bench/
import { startRedis } from '../../../tools/redis-server.mjs';
import { Client, serve } from './support/http';
import { createSessionApp } from './support/session-app';

const majors = [
  { major: 'unstorage 1', ...unstorage1, memoryDriver: memory1, redisDriver: redis1 },
  { major: 'unstorage 2', ...unstorage2, memoryDriver: memory2, redisDriver: redis2 },
] as const;

/** Creates a session through an app on `store`, changes it (a compare-and-set) and reads it back. */
async function writeAndRead(store: unstorage1.Storage<any>): Promise<void> {
  const server = await serve(createSessionApp(store).app);
  try {
    const client = new Client(server.url);
    await client.json('/set', { body: { theme: 'light' } });
    await client.json('/set', { body: { theme: 'dark' } });
    expect((await client.json('/session')).data).toEqual({ theme: 'dark' });
  } finally {
    await server.close();
  }
}

describe.each(majors)('prefixStorage(storage, "sessions") on $major', ({ createStorage, prefixStorage, memoryDriver, redisDriver }) => {
  let redis: { url: string; stop(): Promise<void> };
  let admin: InstanceType<typeof Redis>;

  beforeAll(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url);
  });
  afterAll(async () => {
    admin?.disconnect();
    await redis?.stop();
  });

  it('keeps records in the sessions mount, not in the root driver', async () => {
    const root = memoryDriver();
    const mounted = memoryDriver();
    const storage = createStorage({ driver: root });
    storage.mount('sessions', mounted);
    const sessions = prefixStorage(storage, 'sessions');
    expect(getSessionBackend(sessions, 'sess:').backend).toBe('memory');
    await writeAndRead(sessions);
    expect((await mounted.getKeys('', {})).filter((key: string) => /^sess:[0-9a-f]{64}$/.test(key))).toHaveLength(1);
    expect(await root.getKeys('', {})).toEqual([]);
    expect(await sessions.getKeys('sess')).toHaveLength(1);
  });

  it('uses the Redis backend (compare-and-set scripts) of a Redis driver mounted at sessions', async () => {
    await admin.flushall();
    const root = memoryDriver();
    const storage = createStorage({ driver: root });
    storage.mount('sessions', redisDriver({ url: redis.url, base: 'app' }));
    const sessions = prefixStorage(storage, 'sessions');
    try {
      expect(getSessionBackend(sessions, 'sess:').backend).toBe('redis');
      await admin.config('RESETSTAT');
      await writeAndRead(sessions);
      expect(await admin.keys('*')).toEqual([expect.stringMatching(/^app:sess:[0-9a-f]{64}$/)]);
      expect(await admin.info('commandstats')).toMatch(/cmdstat_eval(sha)?:calls=1,/);
      expect(await root.getKeys('', {})).toEqual([]);
    } finally {
      await storage.dispose();
    }
  });

  it('does not take the root Redis driver for a sessions mount that is not Redis', async () => {
    await admin.flushall();
    const mounted = memoryDriver();
    const storage = createStorage({ driver: redisDriver({ url: redis.url }) });
    storage.mount('sessions', mounted);
    const sessions = prefixStorage(storage, 'sessions');
    try {
      expect(getSessionBackend(sessions, 'sess:').backend).toBe('memory');
      await writeAndRead(sessions);
      expect(await admin.keys('*')).toEqual([]);
      expect(await mounted.getKeys('', {})).toHaveLength(1);
    } finally {
      await storage.dispose();
    }
  });
});
