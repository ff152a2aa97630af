// One process, one session, 200 requests at once: no write is lost, on memory, fs and Redis.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordKeys } from '../support/describe-session-store';
import { memoryStore, fsStore, redisStore, type StoreUnderTest } from '../support/stores';
import { Client, serve, type Served } from '../support/http';
import { createSessionApp } from '../support/session-app';

const PARALLEL = 200;

function describeConcurrency(name: string, create: () => Promise<StoreUnderTest>) {
  describe(`${PARALLEL} parallel writes to one session: ${name}`, () => {
    let underTest: StoreUnderTest;
    let server: Served;
    let client: Client;

    beforeAll(async () => {
      underTest = await create();
      // 200 writes of one session queue one after another: on a loaded machine the last waits longer than the default
      // 2 s store timeout, which bounds the wait for the session's lock too (a 503 is the bounded answer, tested in
      // slow-store.spec.ts). This file is about lost updates, so it gives the queue the time it needs.
      server = await serve(createSessionApp(underTest.store, { timeout: 20_000 }).app);
    });
    afterAll(async () => {
      await server?.close();
      await underTest?.dispose();
    });
    beforeEach(async () => {
      await underTest.store.clear();
      client = new Client(server.url);
      await client.json('/set', { body: { start: true } });
    });

    it(`keeps all ${PARALLEL} keys when each request changes its own`, async () => {
      const responses = await Promise.all(
        Array.from({ length: PARALLEL }, (_, i) => client.clone().request('/set', { body: { [`k${i}`]: i } })),
      );
      expect(responses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
      const { data } = await client.json('/session');
      expect(
        Object.keys(data)
          .filter((k) => k.startsWith('k'))
          .sort(),
      ).toEqual(Array.from({ length: PARALLEL }, (_, i) => `k${i}`).sort());
      for (let i = 0; i < PARALLEL; i++) expect(data[`k${i}`]).toBe(i);
      expect(data.start).toBe(true);
      // One record, written once per request.
      const keys = await recordKeys(underTest.store);
      expect(keys).toHaveLength(1);
      expect(JSON.parse(String(await underTest.store.getItemRaw(keys[0]))).version).toBe(PARALLEL + 1);
    });

    it(`counts ${PARALLEL} parallel increments through updateSession exactly`, async () => {
      const responses = await Promise.all(Array.from({ length: PARALLEL }, () => client.clone().request('/inc', { method: 'POST' })));
      expect(responses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
      // Each request saw a distinct count: no two increments started from the same value.
      const seen = await Promise.all(responses.map(async (r) => ((await r.json()) as { n: number }).n));
      expect(new Set(seen).size).toBe(PARALLEL);
      expect(Math.max(...seen)).toBe(PARALLEL);
      expect((await client.json('/session')).data.n).toBe(PARALLEL);
    });
  });
}

describeConcurrency('memory', memoryStore);

describeConcurrency('fs', fsStore);

describeConcurrency('redis', redisStore);
