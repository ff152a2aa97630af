// Session notices on PostgreSQL (LISTEN/NOTIFY): the listening connection survives a server restart. Two stores on one
// server stand for two instances; the server is killed and started again while a tab's stream stays open on B, and a
// revocation on A still reaches it once B listens again.
import { createDatabase, type Database } from 'db0';
import postgresql from 'db0/connectors/postgresql';
import pg from 'pg';
import type { Storage } from 'unstorage';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createUnstorageStore } from '../src/index';
import { Client, serve, type Served } from './support/http';
import { isSessionEvent, openEventStream, sessionMessage } from './support/event-stream';
import { createSessionApp } from './support/session-app';
// @ts-expect-error plain ESM helper shared with bench/
import { startPostgres } from '../../../tools/postgres-server.mjs';

/** Connections of the server whose last statement was the store's LISTEN, seen through a client of the test's own. */
async function listeners(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'LISTEN "analog_sessions"'`);
    return Number(rows[0]?.n);
  } catch {
    return 0;
  } finally {
    await client.end().catch(() => undefined);
  }
}

describe('PostgreSQL session notices', () => {
  let postgres: { url: string; kill(): Promise<void>; start(): Promise<void>; stop(): Promise<void> };
  const instances: { database: Database; store: Storage<any>; server: Served }[] = [];

  beforeAll(async () => {
    postgres = await startPostgres();
    for (let i = 0; i < 2; i++) {
      const database = createDatabase(postgresql({ url: postgres.url }));
      const store = await createUnstorageStore({ type: 'db0', options: { database } });
      instances.push({ database, store, server: await serve(createSessionApp(store).app) });
    }
  });
  afterAll(async () => {
    try {
      for (const { server, store, database } of instances) {
        await server.close();
        await store.dispose();
        await database.dispose().catch(() => undefined);
      }
    } finally {
      await postgres?.stop();
    }
  });

  it('listens again after the server restarted: a revocation on A reaches the stream open on B', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const [a, b] = instances.map((instance) => instance.server.url) as [string, string];
    const [laptop, phone] = [new Client(a), new Client(b)];
    await laptop.json('/login', { body: { user: 'lin' } });
    await phone.json('/login', { body: { user: 'lin' } });
    const stream = await openEventStream(`${b}/events`, phone.cookieHeader);
    try {
      await stream.next((block) => block.startsWith('event: ready'));
      expect(await listeners(postgres.url)).toBe(1);
      await postgres.kill();
      await postgres.start();
      // B's listening connection comes back by itself; A's connections are replaced at its next statements.
      await vi.waitFor(async () => expect(await listeners(postgres.url)).toBe(1), { timeout: 20_000, interval: 100 });
      await vi.waitFor(async () => expect((await laptop.request('/session')).status).toBe(200), { timeout: 20_000, interval: 100 });
      expect(await laptop.json('/revoke-others', { body: { reason: 'password-changed' } })).toEqual({ revoked: 1 });
      expect(sessionMessage(await stream.next(isSessionEvent))).toEqual({ type: 'ended', reason: 'password-changed' });
    } finally {
      stream.close();
      errors.mockRestore();
    }
  });
});
