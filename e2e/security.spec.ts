import { expect, test } from '@playwright/test';
import { ADA, demoOrigin, logInWithApi, sameOrigin } from './support/session';

test.describe('API contract and cross-origin protection', () => {
  test('a cross-origin POST is refused with 403 before it reaches the session', async ({ request }) => {
    const login = await request.post('/api/auth/login', {
      data: { username: ADA.username, password: ADA.password },
      headers: { Origin: 'http://evil.example' },
    });
    expect(login.status()).toBe(403);
    expect(login.headers()['set-cookie']).toBeUndefined();

    const crossSite = await request.post('/api/auth/login', {
      data: { username: ADA.username, password: ADA.password },
      headers: { 'Sec-Fetch-Site': 'cross-site' },
    });
    expect(crossSite.status()).toBe(403);

    const logout = await request.post('/api/auth/logout', { headers: { Origin: 'null' } });
    expect(logout.status()).toBe(403);
  });

  test('a POST with the right host but another scheme is refused; without Origin a signed-in one needs the token', async ({ request }) => {
    const credentials = { username: ADA.username, password: ADA.password };
    const otherScheme = demoOrigin().replace(/^http:/, 'https:');
    const wrongScheme = await request.post('/api/auth/login', { data: credentials, headers: { Origin: otherScheme } });
    expect(wrongScheme.status()).toBe(403);
    expect(wrongScheme.headers()['set-cookie']).toBeUndefined();

    // Neither Origin nor Sec-Fetch-Site: no browser sends a POST like that, so it is no cross-site forgery; once
    // signed in, the session's token decides.
    const headerless = await request.post('/api/auth/login', { data: credentials });
    expect(headerless.status()).toBe(200);
    expect((await request.post('/api/visits')).status()).toBe(403);
    const { 'X-XSRF-TOKEN': token } = await sameOrigin(request);
    expect((await request.post('/api/visits', { headers: { 'X-XSRF-TOKEN': token! } })).status()).toBe(200);
    expect((await request.post('/api/auth/logout', { headers: await sameOrigin(request) })).status()).toBe(200);

    const spoofedProxy = await request.post('/api/auth/login', {
      data: credentials,
      headers: { Origin: otherScheme, 'X-Forwarded-Proto': 'https' },
    });
    expect(spoofedProxy.status()).toBe(403);
  });

  test('a signed-in cross-origin POST /api/visits is refused and counts nothing', async ({ context }) => {
    await logInWithApi(context.request, ADA);
    const refused = await context.request.post('/api/visits', { headers: { Origin: 'http://evil.example' } });
    expect(refused.status()).toBe(403);
    const account = await context.request.get('/api/account');
    expect((await account.json()).visits).toBe(0);
  });

  test('same-origin requests follow the documented contract', async ({ request }) => {
    const origin = demoOrigin();
    const anonymous = await request.get('/api/session');
    expect(anonymous.status()).toBe(200);
    expect(await anonymous.json()).toEqual({ authenticated: false });

    expect((await request.post('/api/visits', { headers: { Origin: origin } })).status()).toBe(401);
    expect((await request.get('/api/account')).status()).toBe(401);
    expect((await request.post('/api/auth/regenerate', { headers: { Origin: origin } })).status()).toBe(401);

    const malformed = await request.post('/api/auth/login', { data: { username: 42 }, headers: { Origin: origin } });
    expect(malformed.status()).toBe(400);
    const wrong = await request.post('/api/auth/login', {
      data: { username: ADA.username, password: 'nope' },
      headers: { Origin: origin },
    });
    expect(wrong.status()).toBe(401);
    expect(wrong.headers()['set-cookie']).toBeUndefined();

    const ok = await request.post('/api/auth/login', {
      data: { username: ADA.username, password: ADA.password },
      headers: { Origin: origin, 'Sec-Fetch-Site': 'same-origin' },
    });
    expect(ok.status()).toBe(200);
    expect(await ok.json()).toEqual({ authenticated: true });

    const summary = await request.get('/api/session');
    expect(summary.headers()['cache-control']).toContain('no-store');
    expect(await summary.json()).toEqual({
      authenticated: true,
      user: { id: 'u-ada', name: ADA.name },
      expiresAt: expect.any(Number),
      absoluteExpiresAt: null,
      now: expect.any(Number),
      authenticatedAt: expect.any(Number),
    });

    const visits = await request.post('/api/visits', { headers: await sameOrigin(request) });
    expect(await visits.json()).toEqual({ visits: 1 });

    const account = await request.get('/api/account');
    const accountBody = await account.json();
    expect(accountBody).toMatchObject({ name: ADA.name, visits: 1 });
    expect(typeof accountBody.loginAt).toBe('number');

    expect((await request.post('/api/auth/regenerate', { headers: await sameOrigin(request) })).status()).toBe(200);
    expect(await (await request.get('/api/session')).json()).toMatchObject({ authenticated: true });

    const logout = await request.post('/api/auth/logout', { headers: await sameOrigin(request) });
    expect(logout.status()).toBe(200);
    expect(await logout.json()).toEqual({ authenticated: false });
    expect(await (await request.get('/api/session')).json()).toEqual({ authenticated: false });
  });
});
