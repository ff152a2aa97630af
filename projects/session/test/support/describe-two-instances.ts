// Two server processes sharing one store: no lost updates, and regeneration, destruction and revocation on
// one instance are seen by the other at once. Run on one Redis (redis-instances.spec.ts), on a Redis Cluster
// (redis-cluster.spec.ts), on one PostgreSQL, one MariaDB and one SQLite file (sql-instances.spec.ts).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client } from './http';
import { isSessionEvent, openEventStream, sessionMessage } from './event-stream';
import { currentFlavor } from './h3-app';
import type { TestServerProcess } from './spawn-test-server';

/**
 * `push`: the store carries session notices between instances (Redis pub/sub, PostgreSQL LISTEN/NOTIFY), so an
 * open event stream on one hears what happened on the other. @default true
 */
export function describeTwoInstances(
  name: string,
  start: () => Promise<{ spawn: () => Promise<TestServerProcess>; stop: () => Promise<void> }>,
  { push = true }: { push?: boolean } = {},
): void {
  describe(`two server processes sharing ${name}`, () => {
    let backend: { stop: () => Promise<void> } | undefined;
    let a: TestServerProcess;
    let b: TestServerProcess;

    beforeAll(async () => {
      const started = await start();
      backend = started;
      [a, b] = await Promise.all([started.spawn(), started.spawn()]);
    });
    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await backend?.stop();
    });

    let onA: Client;
    let onB: () => Client;
    beforeEach(async () => {
      onA = new Client(a.url);
      await onA.json('/set', { body: { started: true } });
      onB = () => {
        const client = new Client(b.url);
        for (const [k, v] of onA.cookies) client.cookies.set(k, v);
        return client;
      };
    });

    const both = (count: number, request: (client: Client, i: number) => Promise<Response>) =>
      Promise.all(Array.from({ length: count * 2 }, (_, i) => request(i % 2 ? onB() : onA.clone(), i)));

    it('keeps all 200 keys when 2 x 100 parallel requests each change their own key', async () => {
      const responses = await both(100, (client, i) => client.request('/set', { body: { [`k${i}`]: i } }));
      expect(responses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
      const { data } = await onB().json('/session');
      expect(Object.keys(data).filter((k) => k.startsWith('k'))).toHaveLength(200);
    });

    it('counts 2 x 100 parallel increments exactly', async () => {
      const responses = await both(100, (client) => client.request('/inc', { method: 'POST' }));
      expect(responses.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
      expect((await onA.json('/session')).data.n).toBe(200);
    });

    it('answers every write of 32 concurrent writers on their own sessions, spread over both instances', async () => {
      const writers = Array.from({ length: 32 }, (_, i) => new Client(i % 2 ? b.url : a.url));
      const statuses = await Promise.all(
        writers.map(async (writer) => {
          const answers: number[] = [];
          for (let i = 0; i < 10; i++) answers.push((await writer.request('/inc', { method: 'POST' })).status);
          return answers;
        }),
      );
      expect(statuses.flat().filter((status) => status !== 200)).toEqual([]);
      for (const writer of writers) expect((await writer.json('/session')).data.n).toBe(10);
    });

    it('a session started on one instance is valid on the other', async () => {
      expect((await onB().json('/session')).data).toEqual({ started: true });
    });

    it('after regeneration on A, the old cookie is dead on B at once', async () => {
      const old = onB();
      await onA.json('/regenerate', { method: 'POST' });
      expect((await old.json('/session')).data).toEqual({});
      expect((await onB().json('/session')).data).toEqual({ started: true });
    });

    it('after destruction on A, the cookie is dead on B at once', async () => {
      const copy = onB();
      await onA.json('/destroy', { method: 'POST' });
      expect((await copy.json('/session')).data).toEqual({});
    });

    it('revoking a user on A ends their sessions on B', async () => {
      const phone = new Client(b.url);
      const laptop = new Client(a.url);
      await phone.json('/login', { body: { user: 'ada' } });
      await laptop.json('/login', { body: { user: 'ada' } });
      expect(await new Client(a.url).json('/revoke', { body: { user: 'ada' } })).toEqual({ revoked: 2 });
      expect((await phone.json('/session')).user).toBeNull();
      expect((await laptop.json('/session')).user).toBeNull();
    });

    it('a write racing a revocation never resurrects the revoked session', async () => {
      const victim = new Client(b.url);
      await victim.json('/login', { body: { user: 'grace' } });
      const writes = Array.from({ length: 50 }, (_, i) => victim.clone().request('/set', { body: { [`w${i}`]: i } }));
      const revoke = new Client(a.url).json('/revoke', { body: { user: 'grace' } });
      await Promise.all([...writes, revoke]);
      expect(await victim.json('/session')).toEqual({ data: {}, user: null });
    });

    // Registered only where the store carries notices (SQLite keeps them in each process) and the servers stream a
    // response (the h3v2-fetch harness buffers each body until it ends; session-events-stream.spec.ts covers h3 v2
    // streams on srvx): not reported as skipped.
    const itPushed = push && currentFlavor() !== 'h3v2-fetch' ? it : () => undefined;
    itPushed("a revocation on A reaches the session's open event stream on B with its reason (pub/sub through the store)", async () => {
      const [laptop, phone] = [new Client(a.url), new Client(b.url)];
      await laptop.json('/login', { body: { user: 'hopper' } });
      await phone.json('/login', { body: { user: 'hopper' } });
      const stream = await openEventStream(`${b.url}/events`, phone.cookieHeader);
      try {
        await stream.next((block) => block.startsWith('event: ready'));
        await laptop.json('/revoke-others', { body: { reason: 'password-changed' } });
        expect(sessionMessage(await stream.next(isSessionEvent))).toEqual({ type: 'ended', reason: 'password-changed' });
      } finally {
        stream.close();
      }
    });
  });
}
