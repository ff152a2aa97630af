// Fault injection: the only place a fake store is allowed, to make the store throw or hang on demand.
import { createStorage, defineDriver } from 'unstorage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, serve, type Served } from './support/http';
import { createSessionApp } from './support/session-app';

type Mode = 'ok' | 'throw' | 'hang';

/** A memory driver whose every operation can be switched to throw or never answer. */
function faultyStore() {
  const data = new Map<string, unknown>();
  const control = { mode: 'ok' as Mode };
  const gate = <R>(work: () => R): Promise<R> => {
    if (control.mode === 'throw') return Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379'));
    if (control.mode === 'hang') return new Promise<R>(() => undefined);
    return Promise.resolve(work());
  };
  const driver = defineDriver((_options: void) => ({
    name: 'faulty',
    hasItem: (key: string) => gate(() => data.has(key)),
    getItem: (key: string) => gate(() => data.get(key) ?? null),
    getItemRaw: (key: string) => gate(() => data.get(key) ?? null),
    setItem: (key: string, value: unknown) => gate(() => void data.set(key, value)),
    setItemRaw: (key: string, value: unknown) => gate(() => void data.set(key, value)),
    removeItem: (key: string) => gate(() => void data.delete(key)),
    getKeys: () => gate(() => [...data.keys()]),
    clear: () => gate(() => data.clear()),
  }))();
  return { store: createStorage({ driver }), control };
}

describe('store faults', () => {
  const { store, control } = faultyStore();
  let server: Served;
  let client: Client;

  beforeAll(async () => {
    server = await serve(createSessionApp(store, { timeout: 300 }).app);
    client = new Client(server.url);
    await client.json('/set', { body: { a: 1 } });
  });
  afterAll(() => server.close());

  for (const mode of ['throw', 'hang'] as const) {
    it(`answers 503 (STORAGE_ERROR) within the timeout when the store ${mode}s, then recovers`, async () => {
      control.mode = mode;
      for (const [path, init] of [
        ['/session', undefined],
        ['/set', { body: { b: 2 } }],
        ['/regenerate', { method: 'POST' }],
        ['/destroy', { method: 'POST' }],
      ] as const) {
        const started = Date.now();
        const response = await client.clone().request(path, init);
        expect(response.status, path).toBe(503);
        expect(Date.now() - started).toBeLessThan(1500);
      }
      // an anonymous request never touches the store, so it is served whatever the store does
      expect((await new Client(server.url).request('/session')).status).toBe(200);
      control.mode = 'ok';
      expect((await client.json('/session')).data).toEqual({ a: 1 });
    });
  }

  it('raises a SessionError that names the backend and keeps the cause', async () => {
    const { useSession } = await import('../src/index');
    const { H3Event } = await import('h3');
    const { IncomingMessage, ServerResponse } = await import('node:http');
    const { Socket } = await import('node:net');
    const req = new IncomingMessage(new Socket());
    req.headers = { cookie: client.cookieHeader };
    const event = new H3Event(req, new ServerResponse(req));
    control.mode = 'throw';
    try {
      const error = await useSession(event, { store, secret: 'test-secret-0123456789-abcdefghijklmnop' }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ name: 'SessionError', code: 'STORAGE_ERROR', details: { backend: 'faulty' } });
      expect((error as Error).message).toMatch(/faulty store failed: ECONNREFUSED/);
      expect((error as Error).cause).toBeInstanceOf(Error);
    } finally {
      control.mode = 'ok';
    }
  });
});
