// The v0.0.3 API beyond its README's samples (readme-v0.0.3-compat.spec.ts): secret rotation with three secrets,
// RedisSessionStore#getAll(), and the Storage-like objects v0.0.3's own specs passed to UnstorageSessionStore.
import { createStorage } from 'unstorage';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedisSessionStore, UnstorageSessionStore, useSession } from '../src/index';
// @ts-expect-error plain ESM helper shared with e2e/ and bench/
import { startRedis } from '../../../tools/redis-server.mjs';
import { createTestApp } from './support/h3-app';
import { Client, serve, type Served } from './support/http';
import { COOKIE } from './support/session-app';
import { upstreamSign } from './support/upstream-fixtures';

const SECRETS = ['old-1', 'old-2', 'new'];

describe('v0.0.3 API: rotation over three secrets', () => {
  const storage = createStorage();
  const store = new UnstorageSessionStore(storage, { prefix: 'sess' });
  let served: Served;
  beforeAll(async () => {
    const app = createTestApp().get('/', async (event) => {
      await useSession(event, { store, secret: SECRETS });
      return { data: event.context.sessionHandler.data };
    });
    served = await serve(app);
  });
  afterAll(() => served.close());
  beforeEach(() => storage.clear());

  it.each(SECRETS.map((secret, index) => [index, secret]))('adopts a 0.0.3 session whose cookie secret #%i signed', async (_, secret) => {
    const id = crypto.randomUUID();
    await storage.setItem(`sess:${id}`, { visits: 7 });
    const client = new Client(served.url);
    client.cookies.set(COOKIE, upstreamSign(id, secret));
    expect(await client.json('/')).toEqual({ data: { visits: 7 } });
    expect(await storage.hasItem(`sess:${id}`)).toBe(false);
  });

  it.each(SECRETS.map((secret, index) => [index, secret]))(
    'keeps a session of this package whose cookie secret #%i signed (an earlier secret array)',
    async (_, secret) => {
      const earlier = await serve(
        createTestApp().get('/', async (event) => {
          await useSession(event, { store, secret });
          event.context.sessionHandler.update(() => ({ visits: 3 }));
          await event.context.sessionHandler.save();
          return {};
        }),
      );
      const client = new Client(earlier.url);
      await client.request('/');
      await earlier.close();
      const later = new Client(served.url);
      later.cookies.set(COOKIE, client.cookies.get(COOKIE)!);
      expect(await later.json('/')).toEqual({ data: { visits: 3 } });
    },
  );
});

/** A v0.0.3-era app's own session endpoint over `store`: counts visits through the handler. */
async function countingApp(store: UnstorageSessionStore): Promise<Served> {
  return serve(
    createTestApp().get('/', async (event) => {
      await useSession(event, { store, secret: 'a-secret-of-thirty-two-characters!!' });
      const handler = event.context.sessionHandler;
      handler.update((data: Record<string, unknown>) => ({ visits: ((data['visits'] as number) ?? 0) + 1 }));
      await handler.save();
      return { data: handler.data };
    }),
  );
}

describe('v0.0.3 API: RedisSessionStore#getAll()', () => {
  let redis: { url: string; stop(): Promise<void> };
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());

  it('answers the data of every live session by store key (a hash, never an ID)', async () => {
    const store = new RedisSessionStore({ url: redis.url, prefix: 'getall', ttl: 600 });
    const served = await countingApp(store);
    try {
      const clients = [new Client(served.url), new Client(served.url)];
      for (const client of clients) await client.json('/');
      await clients[1].json('/');
      const all = await store.getAll();
      expect(Object.keys(all)).toEqual(expect.arrayContaining([expect.stringMatching(/^getall:[0-9a-f]{64}$/)]));
      expect(Object.values(all).sort((a, b) => Number(a['visits']) - Number(b['visits']))).toEqual([{ visits: 1 }, { visits: 2 }]);
    } finally {
      await served.close();
      await (await store.ready).dispose();
    }
  });
});

describe('v0.0.3 API: UnstorageSessionStore over a Storage-like object (getItem, setItem, removeItem, getKeys)', () => {
  it('keeps sessions in it, as v0.0.3 did with the mocks of its own specs', async () => {
    const map = new Map<string, unknown>();
    const storageLike = {
      getItem: async (key: string) => map.get(key) ?? null,
      setItem: async (key: string, value: unknown) => void map.set(key, value),
      removeItem: async (key: string) => void map.delete(key),
      getKeys: async () => [...map.keys()],
    };
    const store = new UnstorageSessionStore(storageLike, { prefix: 'like', ttl: 600 });
    const served = await countingApp(store);
    try {
      const client = new Client(served.url);
      expect(await client.json('/')).toEqual({ data: { visits: 1 } });
      expect(await client.json('/')).toEqual({ data: { visits: 2 } });
      expect([...map.keys()].filter((key) => key.startsWith('like:'))).toEqual([expect.stringMatching(/^like:[0-9a-f]{64}$/)]);
      expect(await store.all()).toEqual([{ visits: 2 }]);
      expect(await store.length()).toBe(1);
      await store.clear();
      expect(await store.length()).toBe(0);
    } finally {
      await served.close();
    }
  });
});
