import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoApi, type DemoApi } from './support/demo-api';
import { demoClient } from './support/demo-client';

// "Your sessions" routes, through the demo's real middleware and handlers behind a real HTTP server.
let api: DemoApi;
let base: string;

beforeAll(async () => {
  api = await startDemoApi();
  ({ base } = api);
});

afterAll(() => api.close());

const ADA = { username: 'ada', password: 'lovelace-demo' };
const GRACE = { username: 'grace', password: 'hopper-demo' };
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

async function signedIn(user: { username: string; password: string }, userAgent: string) {
  const device = demoClient(base);
  const login = await device.send('POST', '/api/auth/login', user, { 'user-agent': userAgent });
  expect(login.status).toBe(200);
  return device;
}

describe('your sessions', () => {
  it("lists the user's sessions with the device label from the User-Agent, this one first, and no session ID", async () => {
    const phone = await signedIn(ADA, SAFARI_IPHONE);
    const laptop = await signedIn(ADA, FIREFOX);
    const list = await laptop.send('GET', '/api/sessions');
    expect(list.status).toBe(200);
    expect(list.headers.get('cache-control')).toBe('private, no-store');
    expect(list.json.map((item: { label: string; current: boolean }) => [item.label, item.current])).toEqual([
      ['Firefox on Linux', true],
      ['Safari on iOS', false],
    ]);
    for (const item of list.json) {
      expect(Object.keys(item).sort()).toEqual(['createdAt', 'current', 'handle', 'label', 'lastSeenAt']);
    }
    for (const cookie of [phone.cookie, laptop.cookie]) {
      const id = decodeURIComponent(cookie.split('=')[1]).slice(2).split('.')[0];
      expect(JSON.stringify(list.json)).not.toContain(id);
    }
  });

  it("signs out one other device by its handle: 404 the second time, and for another user's handle", async () => {
    const grace = await signedIn(GRACE, FIREFOX);
    const graceOther = await signedIn(GRACE, SAFARI_IPHONE);
    const ada = await signedIn(ADA, FIREFOX);
    const [, other] = (await grace.send('GET', '/api/sessions')).json as { handle: string }[];

    const stolen = await ada.send('POST', '/api/sessions/revoke', { handle: other.handle });
    expect(stolen.status).toBe(404);
    expect((await graceOther.send('GET', '/api/account')).status).toBe(200);

    const revoked = await grace.send('POST', '/api/sessions/revoke', { handle: other.handle });
    expect(revoked.status).toBe(200);
    expect(revoked.json).toEqual({ revoked: true });
    expect((await graceOther.send('GET', '/api/account')).status).toBe(401);
    expect((await grace.send('GET', '/api/account')).status).toBe(200);
    expect((await grace.send('POST', '/api/sessions/revoke', { handle: other.handle })).status).toBe(404);
  });

  it('signs out everywhere else, keeping this device', async () => {
    const [a, b, c] = [await signedIn(GRACE, FIREFOX), await signedIn(GRACE, FIREFOX), await signedIn(GRACE, FIREFOX)];
    const before = (await a.send('GET', '/api/sessions')).json.length;
    expect(before).toBeGreaterThanOrEqual(3);
    const answer = await a.send('POST', '/api/sessions/revoke-others');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ revoked: before - 1 });
    expect((await b.send('GET', '/api/account')).status).toBe(401);
    expect((await c.send('GET', '/api/account')).status).toBe(401);
    expect((await a.send('GET', '/api/sessions')).json).toHaveLength(1);
  });

  it('refuses anonymous visitors, cross-origin posts and malformed handles', async () => {
    const anonymous = demoClient(base);
    expect((await anonymous.send('GET', '/api/sessions')).status).toBe(401);
    expect((await anonymous.send('POST', '/api/sessions/revoke', { handle: 'x' })).status).toBe(401);
    expect((await anonymous.send('POST', '/api/sessions/revoke-others')).status).toBe(401);

    const ada = await signedIn(ADA, FIREFOX);
    expect((await ada.send('POST', '/api/sessions/revoke-others', undefined, { origin: 'http://evil.example' })).status).toBe(403);
    for (const body of ['{"handle":', {}, { handle: 1 }, { handle: '' }, { handle: 'a'.repeat(129) }, [], 'null']) {
      expect((await ada.send('POST', '/api/sessions/revoke', body)).status, JSON.stringify(body)).toBe(400);
    }
    expect((await ada.send('POST', '/api/sessions/revoke', 'x'.repeat(2000))).status).toBe(413);
    expect((await ada.send('POST', '/api/sessions/revoke', { handle: 'f'.repeat(32) })).status).toBe(404);
  });
});
