// defineSessionEventsHandler on h3 v1 (Node response) and h3 v2 (a returned web stream), through real HTTP: the wire
// format the Angular client reads, heartbeats, caps, and every way a session ends reaching its open stream.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pruneExpiredSessions, revokeUserSessions } from '../src/index';
import { openEventStream, isPing, isSessionEvent, sessionMessage, type EventStreamReader } from './support/event-stream';
import type { H3Flavor } from './support/h3-app';
import { Client, serve, type Served } from './support/http';
import { createSessionApp } from './support/session-app';
import { memoryStore, type StoreUnderTest } from './support/stores';
import { nextMillisecond } from './support/clock';

const login = (client: Client, user: string) => client.json('/login', { body: { user } });
const FLAVORS: H3Flavor[] = ['h3v1', 'h3v2-srvx'];

for (const flavor of FLAVORS) {
  describe(`session event streams on ${flavor}`, () => {
    let underTest: StoreUnderTest;
    let server: Served;
    const streams: EventStreamReader[] = [];
    const open = async (client: Client) => {
      const stream = await openEventStream(`${server.url}/events`, client.cookieHeader);
      streams.push(stream);
      return stream;
    };
    const ended = async (stream: EventStreamReader) => {
      const message = sessionMessage(await stream.next(isSessionEvent));
      await stream.ended;
      return message;
    };

    beforeAll(async () => {
      underTest = await memoryStore();
      const app = createSessionApp(underTest.store, { maxSessionsPerUser: 3 }, flavor, {
        heartbeatInterval: 0.05,
        maxStreamsPerUser: 2,
        maxStreams: 6,
      });
      server = await serve(app.app);
    });
    afterAll(async () => {
      for (const stream of streams) stream.close();
      await server.close();
      await underTest.dispose();
    });

    it('answers an anonymous request 401 with JSON, and no stream', async () => {
      const anonymous = new Client(server.url);
      await anonymous.json('/set', { body: { visits: 1 } });
      const stream = await open(anonymous);
      expect(stream.status).toBe(401);
      expect(stream.headers.get('content-type')).toContain('application/json');
      expect(JSON.parse(stream.text!)).toMatchObject({ data: { code: 'UNAUTHORIZED' } });
      expect((await open(new Client(server.url))).status).toBe(401);
    });

    it('starts with the retry hint and `ready`, sends `: ping` heartbeats, and is not buffered by proxies', async () => {
      const client = new Client(server.url);
      await login(client, 'ada');
      const stream = await open(client);
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(stream.headers.get('x-accel-buffering')).toBe('no');
      expect(stream.headers.get('cache-control')).toContain('no-store');
      await stream.next(isPing);
      await stream.next(isPing);
      expect(stream.blocks.slice(0, 3)).toEqual(['retry: 3000', 'event: ready\ndata: {}', ': ping']);
      stream.close();
    });

    it("tells another device's stream why it was signed out (password-changed), then closes it", async () => {
      const [laptop, phone] = [new Client(server.url), new Client(server.url)];
      await login(laptop, 'bob');
      await login(phone, 'bob');
      const stream = await open(phone);
      await stream.next((b) => b.startsWith('event: ready'));
      await laptop.json('/revoke-others', { body: { reason: 'password-changed' } });
      expect(await ended(stream)).toEqual({ type: 'ended', reason: 'password-changed' });
      expect(stream.blocks.at(-1)).toBe('event: session\ndata: {"type":"ended","reason":"password-changed"}');
    });

    it('tells the other tabs of a browser that signed out (destroy) signed-out-elsewhere, and an admin revocation revoked', async () => {
      const tab = new Client(server.url);
      await login(tab, 'cy');
      const stream = await open(tab);
      await stream.next((b) => b.startsWith('event: ready'));
      await tab.clone().json('/destroy', { method: 'POST' });
      expect(await ended(stream)).toEqual({ type: 'ended', reason: 'signed-out-elsewhere' });

      await login(tab, 'cy');
      const again = await open(tab);
      await again.next((b) => b.startsWith('event: ready'));
      await revokeUserSessions(underTest.store, 'cy');
      expect(await ended(again)).toEqual({ type: 'ended', reason: 'revoked' });
    });

    it('tells an evicted session evicted, and an expired one (found by the sweep) expired', async () => {
      const devices = [0, 1, 2, 3].map(() => new Client(server.url));
      for (const device of devices.slice(0, 3)) {
        await login(device, 'dee');
        await nextMillisecond();
      }
      const oldest = await open(devices[0]!);
      await oldest.next((b) => b.startsWith('event: ready'));
      await login(devices[3]!, 'dee');
      expect(await ended(oldest)).toEqual({ type: 'ended', reason: 'evicted' });

      const stream = await open(devices[3]!);
      await stream.next((b) => b.startsWith('event: ready'));
      await pruneExpiredSessions(underTest.store, { now: Date.now() + 86_400_000 + 1000 });
      expect(await ended(stream)).toEqual({ type: 'ended', reason: 'expired' });
    });

    it('follows its session to a new ID (regeneration), so a later revocation still reaches it', async () => {
      const [tab, other] = [new Client(server.url), new Client(server.url)];
      await login(tab, 'eve');
      await login(other, 'eve');
      const stream = await open(tab);
      await stream.next((b) => b.startsWith('event: ready'));
      await tab.json('/regenerate', { method: 'POST' });
      await other.json('/revoke-others', { body: {} });
      expect(await ended(stream)).toEqual({ type: 'ended', reason: 'signed-out-elsewhere' });
    });

    it('caps streams per user and per instance (429), and frees a place when a stream closes', async () => {
      const tabs = [0, 1, 2].map(() => new Client(server.url));
      for (const tab of tabs) await login(tab, 'fay');
      const first = await open(tabs[0]!);
      const second = await open(tabs[1]!);
      await Promise.all([first, second].map((s) => s.next((b) => b.startsWith('event: ready'))));
      const third = await open(tabs[2]!);
      expect(third.status).toBe(429);
      expect(JSON.parse(third.text!)).toMatchObject({ data: { code: 'TOO_MANY_STREAMS' } });
      first.close();
      let retried = await open(tabs[2]!);
      // The server learns of the closed stream when its socket closes: retry until it has.
      for (let i = 0; retried.status === 429 && i < 50; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        retried = await open(tabs[2]!);
      }
      expect(retried.status).toBe(200);
      second.close();
      retried.close();

      const users = [0, 1, 2, 3, 4, 5, 6].map(() => new Client(server.url));
      const opened: EventStreamReader[] = [];
      for (const [i, user] of users.entries()) {
        await login(user, `many-${i}`);
        opened.push(await open(user));
      }
      // Six at most on this instance, whoever they belong to (the streams of earlier tests may still be closing).
      expect(opened.map((s) => s.status).filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
      for (const stream of opened) stream.close();
    });
  });
}
