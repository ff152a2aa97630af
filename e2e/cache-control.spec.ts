import { expect, test, type APIResponse } from '@playwright/test';
import { ADA, logInWithApi, sameOrigin } from './support/session';

// Web cache deception: a shared cache that keys on "looks static" (an extension, a path parameter, another case)
// must never be allowed to store a signed-in answer. Whatever the path, an answer to a request that carries a
// session is `private, no-store`. Only files served from public/ and the build's hashed assets (no session data
// in them) keep their own caching.
const PATHS = [
  '/',
  '/index',
  '/index.html',
  '/login',
  '/account',
  '/Account',
  '/ACCOUNT',
  '/account/',
  '/account;x.css',
  '/account;.js',
  '/account%3Bx.css',
  '/account/x.css',
  '/account.css',
  '/account?x=.css',
  '/nonexistent.css',
  '/nonexistent.js',
  '/static/x.png',
  '/assets/nonexistent.js',
  '/favicon.ico/x.css',
  '/%2e%2e/account',
  '/api/account',
  '/API/account',
  '/api/account;x.css',
  '/api/account.css',
  '/api/account/',
  '/api/session',
  '/Api/Session',
  '/api/nonexistent',
  '/api/auth/login',
];

function directives(response: APIResponse): string[] {
  return (response.headers()['cache-control'] ?? '').split(',').map((directive) => directive.trim().toLowerCase());
}

test.describe('Cache-Control on every path for a signed-in request', () => {
  test('every path answers private, no-store when the request carries a session', async ({ context }) => {
    await logInWithApi(context.request, ADA);
    const missing: string[] = [];
    for (const path of PATHS) {
      for (const method of ['GET', 'HEAD'] as const) {
        const response = await context.request.fetch(path, { method, maxRedirects: 0 });
        const found = directives(response);
        if (!found.includes('no-store') || !found.includes('private')) {
          missing.push(`${method} ${path} -> ${response.status()} cache-control: ${response.headers()['cache-control']}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  test('the signed-in page seen under a "static" path is indeed private data, and marked so', async ({ context }) => {
    await logInWithApi(context.request, ADA);
    const page = await context.request.get('/account;x.css');
    expect(await page.text()).toContain(ADA.name);
    expect(directives(page)).toEqual(expect.arrayContaining(['private', 'no-store']));
  });

  test('refused and failed answers are private, no-store too', async ({ context }) => {
    await logInWithApi(context.request, ADA);
    const refused = await context.request.post('/api/visits', { headers: { Origin: 'http://evil.example' } });
    expect(refused.status()).toBe(403);
    expect(directives(refused)).toEqual(expect.arrayContaining(['private', 'no-store']));
    const malformed = await context.request.post('/api/auth/login', {
      data: '{',
      headers: { ...(await sameOrigin(context.request)), 'content-type': 'application/json' },
    });
    expect(malformed.status()).toBe(400);
    expect(directives(malformed)).toEqual(expect.arrayContaining(['private', 'no-store']));
  });
});
