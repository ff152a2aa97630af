// Values that would not come back from the store as themselves are refused with INVALID_DATA, naming the key,
// before the store is called.
import { createApp, createRouter, defineEventHandler, getQuery } from 'h3';
import { afterEach, describe, expect, it } from 'vitest';
import { createUnstorageStore, defineSessionMiddleware, getSession, isSessionError, updateSession } from '../src/index';
import { Client, serve, type Served } from './support/http';
import { SECRET } from './support/session-app';

let server: Served | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const cyclic = () => {
  const node: Record<string, unknown> = { name: 'a' };
  node['self'] = node;
  return node;
};
const VALUES: Record<string, () => unknown> = {
  bigint: () => 10n,
  cycle: cyclic,
  date: () => new Date(0),
  map: () => new Map([['a', 1]]),
  set: () => new Set([1]),
  fn: () => () => 1,
  holes: () => [1, undefined, 3],
  nan: () => Number.NaN,
};

async function app(): Promise<Client> {
  const store = await createUnstorageStore({ type: 'memory' });
  const router = createRouter()
    .get(
      '/session',
      defineEventHandler((event) => getSession(event)),
    )
    .post(
      '/put',
      defineEventHandler(async (event) => {
        const kind = String(getQuery(event)['kind']);
        try {
          await updateSession<Record<string, unknown>>(event, () => (kind === 'ok' ? { ok: 1 } : { nested: { value: VALUES[kind]() } }));
          return { written: true };
        } catch (error) {
          return isSessionError(error) ? { code: error.code, message: error.message } : { other: String(error) };
        }
      }),
    );
  server = await serve(
    createApp()
      .use(defineSessionMiddleware({ store, secret: SECRET }))
      .use(router),
  );
  return new Client(server.url);
}

describe('session values that are not plain JSON', () => {
  it.each(Object.keys(VALUES))('refuses %s with INVALID_DATA naming the key, leaving the store untouched', async (kind) => {
    const client = await app();
    expect(await client.json('/put?kind=ok', { body: {} })).toEqual({ written: true });
    const result = await client.json('/put?kind=' + kind, { body: {} });
    expect(result).toMatchObject({ code: 'INVALID_DATA', message: expect.stringContaining('data.nested.value') });
    expect(await client.json('/session')).toEqual({ ok: 1 });
  });

  it('refuses it on a session not stored yet too', async () => {
    const client = await app();
    expect(await client.json('/put?kind=date', { body: {} })).toMatchObject({ code: 'INVALID_DATA' });
  });
});
