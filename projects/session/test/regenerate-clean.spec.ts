// A login flow can start clean: regenerateSession(event, { keepData: false }) drops what was planted before.
import { createApp, createRouter, defineEventHandler, readBody } from 'h3';
import { afterEach, describe, expect, it } from 'vitest';
import { createUnstorageStore, defineSessionMiddleware, getSession, regenerateSession, updateSession } from '../src/index';
import { Client, serve, type Served } from './support/http';
import { COOKIE, SECRET } from './support/session-app';

let server: Served | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function app(): Promise<Client> {
  const store = await createUnstorageStore({ type: 'memory' });
  const router = createRouter()
    .get(
      '/session',
      defineEventHandler((event) => getSession(event)),
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
      '/login',
      defineEventHandler(async (event) => {
        const { keepData } = await readBody<{ keepData?: boolean }>(event);
        await regenerateSession(event, keepData === undefined ? undefined : { keepData });
        await updateSession(event, () => ({ user: 'ada' }));
        return getSession(event);
      }),
    );
  const h3 = createApp()
    .use(defineSessionMiddleware({ store, secret: SECRET, generate: () => ({ visits: 0 }) }))
    .use(router);
  server = await serve(h3);
  return new Client(server.url);
}

describe('regenerateSession(event, { keepData })', () => {
  it('keepData: false starts the new session from generate(), dropping data planted before login', async () => {
    const client = await app();
    await client.json('/set', { body: { role: 'admin' } });
    const before = client.cookies.get(COOKIE);
    expect(await client.json('/login', { body: { keepData: false } })).toEqual({ visits: 0, user: 'ada' });
    expect(client.cookies.get(COOKIE)).not.toBe(before);
    expect(await client.json('/session')).toEqual({ visits: 0, user: 'ada' });
  });

  it('keepData: false on a session never stored gives a clean one too', async () => {
    const client = await app();
    expect(await client.json('/login', { body: { keepData: false } })).toEqual({ visits: 0, user: 'ada' });
  });

  it('keeps the data by default, as in v0.0.18', async () => {
    const client = await app();
    await client.json('/set', { body: { cart: [1] } });
    expect(await client.json('/login', { body: {} })).toEqual({ visits: 0, cart: [1], user: 'ada' });
  });
});
