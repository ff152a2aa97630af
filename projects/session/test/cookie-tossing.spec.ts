// Cookie tossing: a sibling subdomain (or a longer path) can make the browser send a planted session cookie
// ahead of the victim's own. Every value of the name is considered; one that verifies and exists wins.
import { afterEach, describe, expect, it } from 'vitest';
import { createUnstorageStore, signCookie } from '../src/index';
import { Client, serve, type Served } from './support/http';
import { COOKIE, createSessionApp, SECRET } from './support/session-app';

let server: Served | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function victim(): Promise<{ url: string; own: string }> {
  const store = await createUnstorageStore({ type: 'memory' });
  server = await serve(createSessionApp(store).app);
  const client = new Client(server.url);
  await client.json('/login', { body: { user: 'ada' } });
  return { url: server.url, own: encodeURIComponent(client.cookies.get(COOKIE)!) };
}

const get = (url: string, cookie: string) => fetch(`${url}/session`, { headers: { cookie } }).then((r) => r.json());

describe('several values of the session cookie in one header', () => {
  it('a planted unknown (but validly signed) cookie sent first does not log the victim out', async () => {
    const { url, own } = await victim();
    const planted = encodeURIComponent(await signCookie('planted-session-id-0123456789abcdef', SECRET));
    expect(await get(url, `${COOKIE}=${planted}; other=1; ${COOKIE}=${own}`)).toMatchObject({ user: 'ada' });
  });

  it('a planted tampered cookie sent first does not log the victim out', async () => {
    const { url, own } = await victim();
    expect(await get(url, `${COOKIE}=s%3Aforged.AAAA; ${COOKIE}=${own}`)).toMatchObject({ user: 'ada' });
  });

  it('considers a bounded number of values', async () => {
    const { url, own } = await victim();
    const planted = Array.from({ length: 4 }, (_, i) => `${COOKIE}=junk${i}`).join('; ');
    expect(await get(url, `${planted}; ${COOKIE}=${own}`)).toMatchObject({ user: null });
    expect(await get(url, `${COOKIE}=${own}`)).toMatchObject({ user: 'ada' });
  });
});
