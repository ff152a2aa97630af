// Redis Cluster key layout: a read is one GET and a write one script call, as on one Redis. A session bound
// to a user lives in the user's slot, beside the user's index, so binding, destruction and revocation are
// single-slot scripts. Binding an anonymous session moves it across slots in an ordered sequence (PLACE the
// new record, TAKE the old one); these tests stop between the two steps, on a real cluster, and check that
// every intermediate state is safe.
import type { Cluster } from 'ioredis';
import { createApp, createRouter, defineEventHandler, readBody } from 'h3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { defineSessionMiddleware, getSession, getSessionUser, revokeUserSessions, setSessionUser, updateSession } from '../src/index';
// @ts-expect-error plain ESM helper shared with e2e/ and bench/
import { redisCli } from '../../../tools/redis-cluster.mjs';
import { clusterStorage, startCluster, type RedisClusterUnderTest } from './support/cluster-store';
import { recordKeys } from './support/describe-session-store';
import { Client, serve, type Served } from './support/http';
import { SECRET } from './support/session-app';

describe('redis cluster: binding moves a session into its user slot', () => {
  let cluster: RedisClusterUnderTest;
  let store: ReturnType<typeof clusterStorage>;
  let server: Served;
  /** Runs once, inside the next TAKE call, before the script is sent. */
  let beforeTake: (() => Promise<void>) | undefined;

  const redis = () => (store.getMount('sess:').driver as unknown as { getInstance(): Cluster }).getInstance();
  const slot = async (key: string) => Number(await redis().cluster('KEYSLOT', key));

  beforeAll(async () => {
    cluster = await startCluster();
    store = clusterStorage(cluster.nodes);
    const app = createApp();
    app.use(defineSessionMiddleware({ store, secret: SECRET }));
    app.use(
      createRouter()
        .get(
          '/session',
          defineEventHandler((event) => ({ data: getSession(event), user: getSessionUser(event) })),
        )
        .post(
          '/set',
          defineEventHandler(async (event) => {
            const changes = await readBody<Record<string, unknown>>(event);
            await updateSession(event, () => changes);
            return getSession(event);
          }),
        )
        .post(
          '/bind',
          defineEventHandler(async (event) => {
            await setSessionUser(event, (await readBody<{ user: string }>(event)).user);
            return { user: getSessionUser(event) };
          }),
        )
        .post(
          '/revoke',
          defineEventHandler(async (event) => ({
            revoked: await revokeUserSessions(store, (await readBody<{ user: string }>(event)).user),
          })),
        ),
    );
    server = await serve(app);
    // Prepare the store's commands, then wrap TAKE to stop between the two steps of a move.
    await new Client(server.url).json('/set', { body: { warm: true } });
    const client = redis() as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const take = client['analogSessionTake'].bind(client);
    client['analogSessionTake'] = async (...args: unknown[]) => {
      const hook = beforeTake;
      beforeTake = undefined;
      await hook?.();
      return take(...args);
    };
  });
  afterAll(async () => {
    await server?.close();
    await store?.dispose();
    await cluster?.stop();
  });
  beforeEach(async () => {
    beforeTake = undefined;
    await store.clear();
  });

  const userIndexes = async () => (await store.getKeys('sess')).filter((key) => key.startsWith('sess:user:'));

  it('puts the bound session, with a new ID, in the slot of the user index; the anonymous cookie dies', async () => {
    const client = new Client(server.url);
    await client.json('/set', { body: { cart: [1] } });
    const anonymous = client.clone();
    await client.json('/bind', { body: { user: 'ada' } });
    expect(client.cookies.get('connect.sid')).not.toBe(anonymous.cookies.get('connect.sid'));
    expect(await client.json('/session')).toEqual({ data: { cart: [1] }, user: 'ada' });
    expect(await anonymous.json('/session')).toEqual({ data: {}, user: null });
    const [record] = await recordKeys(store);
    const [index] = await userIndexes();
    expect(await slot(record)).toBe(await slot(index));
    expect(await redis().zrange(index, 0, -1)).toEqual([record]);
  });

  it('reads with one GET and writes with one script call, as on one Redis', async () => {
    const client = new Client(server.url);
    await client.json('/set', { body: { a: 1 } });
    const masters = (await cluster.topology()).filter((node) => node.role === 'master');
    const measure = async (run: () => Promise<unknown>) => {
      for (const { port } of masters) await redisCli(port, 'config', 'resetstat');
      await run();
      const counts: Record<string, number> = {};
      for (const { port } of masters) {
        for (const [, name, calls] of String(await redisCli(port, 'info', 'commandstats')).matchAll(/cmdstat_(\w+):calls=(\d+)/g)) {
          if (!['info', 'config'].includes(name)) counts[name] = (counts[name] ?? 0) + Number(calls);
        }
      }
      return counts;
    };
    expect(
      await measure(async () => {
        for (let i = 0; i < 10; i++) await client.json('/session');
      }),
    ).toEqual({ get: 10 });
    const writes = await measure(async () => {
      for (let i = 0; i < 10; i++) await client.json('/set', { body: { i } });
    });
    // Round trips: the GET of the load and one script call (EVAL the first time a node runs it, then EVALSHA);
    // Redis also counts the GET and SET inside the script, and TIME (its deadline check; now and then the
    // store's measurement of the nodes' clocks).
    const { eval: evals = 0, evalsha = 0, time = 0, ...inside } = writes;
    expect(time).toBeGreaterThanOrEqual(10);
    expect(evals + evalsha).toBe(10);
    expect(inside).toEqual({ get: 20, set: 10 });
  });

  it('a revocation between PLACE and TAKE ends the session: it never comes back', async () => {
    const client = new Client(server.url);
    await client.json('/set', { body: { a: 1 } });
    const anonymous = client.clone();
    let revoked: unknown;
    beforeTake = async () => {
      revoked = await new Client(server.url).json('/revoke', { body: { user: 'eve' } });
    };
    await client.request('/bind', { body: { user: 'eve' } });
    expect(revoked).toEqual({ revoked: 1 });
    expect(await client.json('/session')).toEqual({ data: {}, user: null });
    expect(await anonymous.json('/session')).toEqual({ data: {}, user: null });
    expect(await recordKeys(store)).toEqual([]);
  });

  it('a failure between PLACE and TAKE keeps the old session valid, and the copy is revocable', async () => {
    const client = new Client(server.url);
    await client.json('/set', { body: { a: 1 } });
    beforeTake = async () => {
      throw new Error('connection lost');
    };
    expect((await client.request('/bind', { body: { user: 'mallory' } })).status).toBe(503);
    expect(await client.json('/session')).toEqual({ data: { a: 1 }, user: null });
    expect(await recordKeys(store)).toHaveLength(2);
    expect(await new Client(server.url).json('/revoke', { body: { user: 'mallory' } })).toEqual({ revoked: 1 });
    expect(await client.json('/session')).toEqual({ data: { a: 1 }, user: null });
    expect(await recordKeys(store)).toHaveLength(1);
  });

  it('a write landing between PLACE and TAKE is kept: TAKE refuses, the copy goes, the bind retries', async () => {
    const client = new Client(server.url);
    await client.json('/set', { body: { a: 1 } });
    const [old] = await recordKeys(store);
    // Another instance's write (this process would queue it behind the bind): the record's next version.
    beforeTake = async () => {
      const record = JSON.parse(String(await store.getItemRaw(old)));
      const next = { ...record, version: record.version + 1, data: { ...record.data, b: 2 } };
      await redis().set(old, JSON.stringify(next), 'PX', 60_000);
    };
    await client.json('/bind', { body: { user: 'grace' } });
    expect(await client.json('/session')).toEqual({ data: { a: 1, b: 2 }, user: 'grace' });
    const records = await recordKeys(store);
    expect(records).toHaveLength(1);
    expect(await redis().zrange((await userIndexes())[0], 0, -1)).toEqual(records);
  });

  it('a destruction landing between PLACE and TAKE wins: the bind answers 401 and the copy is deleted', async () => {
    const client = new Client(server.url);
    await client.json('/set', { body: { a: 1 } });
    const [old] = await recordKeys(store);
    beforeTake = async () => {
      await redis().unlink(old);
    };
    expect((await client.request('/bind', { body: { user: 'trent' } })).status).toBe(401);
    expect(await recordKeys(store)).toEqual([]);
    expect(await client.json('/session')).toEqual({ data: {}, user: null });
  });
});
