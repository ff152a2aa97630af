// revokeUserSessions(store, userId) without options must find the sessions of a config with its own prefix.
import { afterEach, describe, expect, it } from 'vitest';
import { createUnstorageStore, revokeUserSessions } from '../src/index';
import { Client, serve, type Served } from './support/http';
import { createSessionApp } from './support/session-app';

let server: Served | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('revokeUserSessions and a custom prefix', () => {
  it("ends the sessions of a prefix: 'myapp:' config without being told the prefix again", async () => {
    const store = await createUnstorageStore({ type: 'memory' });
    server = await serve(createSessionApp(store, { prefix: 'myapp:' }).app);
    const ada = new Client(server.url);
    await ada.json('/login', { body: { user: 'ada' } });
    expect(await ada.json('/session')).toMatchObject({ user: 'ada' });

    expect(await revokeUserSessions(store, 'ada')).toBe(1);
    expect(await ada.json('/session')).toMatchObject({ user: null });
  });
});
