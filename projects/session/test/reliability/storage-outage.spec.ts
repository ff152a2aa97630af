// The store's server dies under load and comes back on the same port: the server answers every request in
// bounded time during the outage, does not crash, and serves the same sessions with every acknowledged
// value once the store is back. Redis (SIGKILL), PostgreSQL (immediate shutdown: no checkpoint, like a crash) and
// MariaDB (SIGKILL).
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helper shared with e2e/ and bench/
import { startRedis } from '../../../../tools/redis-server.mjs';
// @ts-expect-error plain ESM helper shared with bench/
import { startPostgres } from '../../../../tools/postgres-server.mjs';
// @ts-expect-error plain ESM helper shared with bench/
import { startMariadb } from '../../../../tools/mariadb-server.mjs';
import { COOKIE } from '../support/session-app';
import { Client } from '../support/http';
import { spawnTestServer, type TestServerProcess } from '../support/spawn-test-server';

const OUTAGE_SERVER = fileURLToPath(new URL('./support/outage-server.ts', import.meta.url));

const SESSIONS = 20;
const SESSION_TIMEOUT_MS = 1000;
const ANSWER_WITHIN_MS = 2000;
const RECOVER_WITHIN_MS = 2000;
/** Bounds the load loop whatever happens: no worker sends more than this many requests. */
const MAX_REQUESTS_PER_WORKER = 400;
/**
 * The ioredis options under test (see support/outage-server.ts), which the README recommends:
 * `retryStrategy: () => 100` reconnects within ~100 ms of Redis coming back (the default backoff grows to
 * 2 s per attempt, too slow for the 2-second bar after a long outage), and `maxRetriesPerRequest: 1` fails
 * queued commands after one failed reconnect, so requests get their 503 in ~0.2 s instead of waiting out
 * config.timeout, and fewer stale commands are replayed when Redis returns.
 */
const REDIS_CLIENT_ENV = { REDIS_RETRY_MS: '100', REDIS_MAX_RETRIES_PER_REQUEST: '1' };
/** Long enough for ioredis to go through many failed reconnects. */
const MIN_OUTAGE_MS = 3000;

interface Sample {
  session: number;
  kind: 'read' | 'inc';
  start: number;
  ms: number;
  status: number | 'no answer';
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function waitFor(what: string, deadlineMs: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = performance.now() + deadlineMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A store server the test can kill and start again, and the outage server's environment to reach it. */
interface KillableStore {
  env: Record<string, string>;
  kill(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

describeOutage('Redis', 'SIGKILL', async () => {
  const redis = await startRedis({ persistence: true });
  return { ...redis, env: { REDIS_URL: redis.url, ...REDIS_CLIENT_ENV } };
});

describeOutage('PostgreSQL', 'immediate shutdown', async () => {
  const postgres = await startPostgres();
  return { ...postgres, env: { POSTGRES_URL: postgres.url } };
});

describeOutage('MariaDB', 'SIGKILL', async () => {
  const mariadb = await startMariadb();
  return { ...mariadb, env: { MARIADB_URL: mariadb.url } };
});

function describeOutage(name: string, how: string, startStore: () => Promise<KillableStore>): void {
  describe(`${name} outage under load (${how}, then restart on the same port)`, () => {
    let redis: KillableStore;
    let server: TestServerProcess;

    beforeAll(async () => {
      redis = await startStore();
      server = await spawnTestServer(OUTAGE_SERVER, { ...redis.env, SESSION_TIMEOUT: String(SESSION_TIMEOUT_MS) });
    });
    afterAll(async () => {
      await server?.stop();
      await redis?.stop();
    });

    it('answers 503 or 200 within 2 s during the outage, and serves every acknowledged value within 2 s of the restart', async () => {
      // Sessions with known values, each acknowledged by a 200 before anything goes wrong.
      const clients = Array.from({ length: SESSIONS }, () => new Client(server.url));
      const values = clients.map((_, i) => 1000 + i * 7);
      await Promise.all(clients.map((client, i) => client.json('/set', { body: { n: values[i], owner: `s${i}` } })));
      const cookies = clients.map((client) => client.cookieHeader);
      expect(new Set(cookies).size).toBe(SESSIONS);

      // Steady load: every session alternates a read and an increment of its own `load` key.
      const samples: Sample[] = [];
      const acked = new Array<number>(SESSIONS).fill(0);
      const attempted = new Array<number>(SESSIONS).fill(0);
      let stopLoad = false;
      const worker = async (session: number) => {
        for (let i = 0; i < MAX_REQUESTS_PER_WORKER && !stopLoad; i++) {
          const kind = i % 2 ? 'inc' : 'read';
          const start = performance.now();
          if (kind === 'inc') attempted[session]++;
          let status: Sample['status'];
          try {
            const response = await fetch(`${server.url}${kind === 'inc' ? '/inc?key=load' : '/session'}`, {
              method: kind === 'inc' ? 'POST' : 'GET',
              headers: { cookie: cookies[session] },
              signal: AbortSignal.timeout(5000),
            });
            await response.arrayBuffer();
            status = response.status;
          } catch {
            status = 'no answer';
          }
          samples.push({ session, kind, start, ms: performance.now() - start, status });
          if (kind === 'inc' && status === 200) acked[session]++;
          // Keep the pace steady without hammering a dead store in a tight loop.
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      };
      const load = Promise.all(clients.map((_, i) => worker(i)));

      try {
        await waitFor('the load to be served', 10_000, () => samples.filter((s) => s.status === 200).length >= 200);
        const killedAt = performance.now();
        await redis.kill();
        // The outage lasts MIN_OUTAGE_MS, and until every session has had two requests start and end inside it.
        await waitFor(
          'two answered requests per session during the outage',
          MIN_OUTAGE_MS + 15_000,
          () =>
            performance.now() - killedAt >= MIN_OUTAGE_MS &&
            clients.every((_, i) => samples.filter((s) => s.session === i && s.start > killedAt).length >= 2),
        );
        const restartedAt = performance.now();
        await redis.start();
        const backAt = performance.now();

        // Served again: every session, with the value acknowledged before the outage.
        let recoveredAt = 0;
        await waitFor('every session served again', RECOVER_WITHIN_MS + 5000, async () => {
          const answers = await Promise.all(
            cookies.map(async (cookie) => {
              try {
                const response = await fetch(`${server.url}/session`, { headers: { cookie }, signal: AbortSignal.timeout(3000) });
                return response.status === 200 ? ((await response.json()) as { data: Record<string, number> }).data : null;
              } catch {
                return null;
              }
            }),
          );
          if (answers.some((data) => data === null)) return false;
          recoveredAt = performance.now();
          answers.forEach((data, i) => expect(data!['n'], `session ${i}`).toBe(values[i]));
          return true;
        });
        stopLoad = true;
        await load;

        const during = samples.filter((s) => s.start >= killedAt && s.start < restartedAt);
        const durations = during.map((s) => s.ms);
        const recovery = recoveredAt - backAt;
        const statuses = Object.fromEntries(
          [...new Set(during.map((s) => s.status))].map((st) => [st, during.filter((s) => s.status === st).length]),
        );
        console.info(
          `[storage-outage] ${name}: ${samples.length} requests; ` +
            `outage ${Math.round(restartedAt - killedAt)} ms with ${during.length} requests: ` +
            `max ${Math.round(Math.max(...durations))} ms, median ${Math.round(median(durations))} ms, ` +
            `statuses ${JSON.stringify(statuses)}; ` +
            `${name} restart took ${Math.round(backAt - restartedAt)} ms; all sessions served ${Math.round(recovery)} ms after it was back`,
        );

        expect(during.filter((s) => s.status !== 503 && s.status !== 200)).toEqual([]);
        expect(during.filter((s) => s.status === 503).length).toBeGreaterThan(SESSIONS);
        expect(Math.max(...durations)).toBeLessThan(ANSWER_WITHIN_MS);
        expect(recovery).toBeLessThan(RECOVER_WITHIN_MS);

        // Every increment acknowledged with a 200 survived the SIGKILL (appendfsync always); one that got a 503
        // may or may not have been applied, so the count lies between the two.
        const finals = await Promise.all(
          cookies.map((cookie) => fetch(`${server.url}/session`, { headers: { cookie } }).then((r) => r.json())),
        );
        finals.forEach(({ data }, i) => {
          expect(data.n, `session ${i}`).toBe(values[i]);
          expect(data.owner).toBe(`s${i}`);
          expect(data.load ?? 0, `session ${i}`).toBeGreaterThanOrEqual(acked[i]);
          expect(data.load ?? 0, `session ${i}`).toBeLessThanOrEqual(attempted[i]);
        });

        expect(server.child.exitCode).toBeNull();
        expect(server.child.signalCode).toBeNull();
        expect(server.stderr()).not.toMatch(/RELIABILITY_UNHANDLED_REJECTION|RELIABILITY_UNCAUGHT_EXCEPTION|UnhandledPromiseRejection/);
        const ioredisLines = server
          .stderr()
          .split('\n')
          .filter((line) => line.includes('[ioredis]')).length;
        console.info(
          `[storage-outage] server stderr: ${ioredisLines} '[ioredis] Unhandled error event' lines, ${server.stderr().length} bytes`,
        );
      } finally {
        stopLoad = true;
        await load;
      }
    });
  });
}
