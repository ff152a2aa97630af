// Cookie tossing: a sibling subdomain (or a longer path) can make the browser send a planted session cookie
// ahead of the victim's own. Every value of the name is considered: one live session is served, two different
// live sessions are ambiguous (serving the planted one would sign the victim into the attacker's account).
import { afterEach, describe, expect, it } from 'vitest';
import { createUnstorageStore, signCookie } from '../src/index';
import { Client, serve, type Served } from './support/http';
import { COOKIE, createSessionApp, SECRET } from './support/session-app';

let server: Served | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function victim(): Promise<{ url: string; own: string; signIn: (user: string) => Promise<string> }> {
  const store = await createUnstorageStore({ type: 'memory' });
  server = await serve(createSessionApp(store).app);
  const url = server.url;
  const signIn = async (user: string) => {
    const client = new Client(url);
    await client.json('/login', { body: { user } });
    return encodeURIComponent(client.cookies.get(COOKIE)!);
  };
  return { url, own: await signIn('ada'), signIn };
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

  it("serves neither of two different live sessions: the attacker's own session, planted first, is not served", async () => {
    const { url, own, signIn } = await victim();
    const attackers = await signIn('mallory');
    expect(await get(url, `${COOKIE}=${attackers}; ${COOKIE}=${own}`)).toMatchObject({ data: {}, user: null });
    expect(await get(url, `${COOKIE}=${own}; ${COOKIE}=${attackers}`)).toMatchObject({ data: {}, user: null });
    // Each alone is still what it was.
    expect(await get(url, `${COOKIE}=${own}`)).toMatchObject({ user: 'ada' });
    expect(await get(url, `${COOKIE}=${attackers}`)).toMatchObject({ user: 'mallory' });
  });

  it('serves the one session when its cookie comes twice (the same value under two paths)', async () => {
    const { url, own } = await victim();
    expect(await get(url, `${COOKIE}=${own}; ${COOKIE}=${own}`)).toMatchObject({ user: 'ada' });
  });
});
