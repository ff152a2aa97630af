// Writes that finish after the response was sent (background work such as a token refresh): a write that
// reached the store resolves and only the cookie refresh is skipped; a new ID the browser can no longer
// learn is an error, not a silent loss.
import { createApp, defineEventHandler, type H3Event } from 'h3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroySession, getSession, regenerateSession, updateSession, useSession, type SessionConfig } from '../src/index';
import { Client, serve, type Served } from './support/http';
import { redisStore, type StoreUnderTest } from './support/stores';

describe('writes after the response was sent, on Redis', () => {
  let underTest: StoreUnderTest;
  let server: Served;
  let config: SessionConfig;
  let background: Promise<unknown> = Promise.resolve();

  /** Runs `work` once the response has gone out, and keeps its outcome for the test. */
  const afterResponse = (event: H3Event, work: () => Promise<unknown>) => {
    background = new Promise((resolve) => event.node.res.once('finish', resolve)).then(work);
    background.catch(() => undefined);
  };

  beforeAll(async () => {
    underTest = await redisStore();
    config = { store: underTest.store, secret: 'late-writes-secret-0123456789-abcdefgh' };
    const app = createApp().use(
      defineEventHandler(async (event) => {
        await useSession(event, config);
        if (event.path === '/login') {
          await updateSession(event, () => ({ user: 'ada', n: 0 }));
        } else if (event.path === '/inc-later') {
          afterResponse(event, () => updateSession(event, (s) => ({ n: (s['n'] as number) + 1 })));
        } else if (event.path === '/regenerate-later') {
          afterResponse(event, () => regenerateSession(event));
        } else if (event.path === '/destroy-later') {
          afterResponse(event, () => destroySession(event));
        }
        return { session: getSession(event) };
      }),
    );
    server = await serve(app);
  });
  afterAll(async () => {
    await server?.close();
    await underTest?.dispose();
  });

  it('updateSession resolves once the store has the data; the cookie still names the session', async () => {
    const client = new Client(server.url);
    await client.json('/login');
    const cookie = client.cookies.get('connect.sid');
    await client.json('/inc-later');
    await expect(background).resolves.toBeUndefined();
    expect(client.cookies.get('connect.sid')).toBe(cookie);
    expect((await client.json('/')).session).toEqual({ user: 'ada', n: 1 });
  });

  it('regenerateSession rejects with COOKIE_ERROR: the browser cannot learn the new ID', async () => {
    const client = new Client(server.url);
    await client.json('/login');
    await client.json('/regenerate-later');
    await expect(background).rejects.toMatchObject({ code: 'COOKIE_ERROR', message: expect.stringContaining('response was already sent') });
  });

  it('destroySession resolves: the record is gone, the stale cookie yields a fresh session', async () => {
    const client = new Client(server.url);
    await client.json('/login');
    await client.json('/destroy-later');
    await expect(background).resolves.toBeUndefined();
    expect((await client.json('/')).session).toEqual({});
  });
});
