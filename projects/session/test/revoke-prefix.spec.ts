// revokeUserSessions(store, userId) works on the prefix it is given, whatever config served earlier requests:
// a cron job in a fresh process, holding only the Storage, must behave exactly like the app's own process.
import { afterEach, describe, expect, it } from 'vitest';
import { createStorage, type Storage } from 'unstorage';
import memoryDriver from 'unstorage/drivers/memory';
import { revokeUserSessions } from '../src/index';
import { Client, serve, type Served } from './support/http';
import { createSessionApp } from './support/session-app';

let server: Served | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A second Storage over the same driver: what a separate process (a cron job) holds. */
function sameDriver(): { app: Storage<any>; cron: Storage<any> } {
  const driver = memoryDriver();
  return { app: createStorage({ driver }), cron: createStorage({ driver }) };
}

describe('revokeUserSessions and a custom prefix', () => {
  it("ends the sessions of a prefix: 'myapp:' config when given that prefix, from a Storage no request has used", async () => {
    const { app, cron } = sameDriver();
    server = await serve(createSessionApp(app, { prefix: 'myapp:' }).app);
    const ada = new Client(server.url);
    await ada.json('/login', { body: { user: 'ada' } });
    expect(await ada.json('/session')).toMatchObject({ user: 'ada' });

    expect(await revokeUserSessions(cron, 'ada', { prefix: 'myapp:' })).toBe(1);
    expect(await ada.json('/session')).toMatchObject({ user: null });
  });

  it('does not depend on the config of the last request: without a prefix it works on the default one', async () => {
    const { app } = sameDriver();
    server = await serve(createSessionApp(app, { prefix: 'myapp:' }).app);
    const ada = new Client(server.url);
    await ada.json('/login', { body: { user: 'ada' } });

    // The same Storage object served a 'myapp:' request just now: the call still means 'sess:'.
    expect(await revokeUserSessions(app, 'ada')).toBe(0);
    expect(await ada.json('/session')).toMatchObject({ user: 'ada' });
  });
});
