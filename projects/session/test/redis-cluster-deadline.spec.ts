// On Redis Cluster too, a write answered STORAGE_ERROR is never applied: the deadline is converted with the
// clock of the node furthest behind, so it holds on whichever master runs the script.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helper shared with e2e/ and bench/
import { redisCli } from '../../../tools/redis-cluster.mjs';
import { clusterStorage, startCluster, type RedisClusterUnderTest } from './support/cluster-store';
import { Client, serve, type Served } from './support/http';
import { createSessionApp } from './support/session-app';

const PAUSE_MS = 3000;

describe('redis cluster: a write answered STORAGE_ERROR is never applied', () => {
  let cluster: RedisClusterUnderTest;
  let store: ReturnType<typeof clusterStorage>;
  let server: Served;

  beforeAll(async () => {
    cluster = await startCluster();
    store = clusterStorage(cluster.nodes);
    server = await serve(createSessionApp(store, { timeout: 1000 }).app);
  });
  afterAll(async () => {
    await server?.close();
    await store?.dispose();
    await cluster?.stop();
  });

  it(`a write and a regenerate during CLIENT PAUSE ${PAUSE_MS} WRITE on every master answer 503, and change nothing`, async () => {
    const writer = new Client(server.url);
    await writer.json('/set', { body: { a: 1 } });
    const regenerator = new Client(server.url);
    await regenerator.json('/set', { body: { b: 1 } });
    const oldCookies = regenerator.clone();

    const masters = (await cluster.topology()).filter((node) => node.role === 'master');
    for (const { port } of masters) await redisCli(port, 'client', 'pause', String(PAUSE_MS), 'write');
    const pausedAt = Date.now();
    const answers = await Promise.all([writer.request('/set', { body: { a: 2 } }), regenerator.request('/regenerate', { method: 'POST' })]);
    expect(answers.map((answer) => answer.status)).toEqual([503, 503]);

    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS - (Date.now() - pausedAt) + 300));
    expect(await writer.json('/session')).toMatchObject({ data: { a: 1 } });
    expect(await oldCookies.json('/session')).toMatchObject({ data: { b: 1 } });
    expect(await writer.json('/set', { body: { a: 3 } })).toEqual({ a: 3 });
  }, 20_000);
});
