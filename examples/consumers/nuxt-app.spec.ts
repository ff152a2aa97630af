// examples/nuxt-app (Nuxt 4.6, Nitro 2, h3 v1), installed and built under Node 22 by scripts/consumer-apps.mjs and
// run by this spec under Node 22 too (npm test's Nuxt leg: scripts/node.sh 22). The built .output is copied to a
// temporary folder and started from there, as a deployment would: it must run without the app's node_modules.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startAppServer } from './support/app-server';
import { CookieJar, sessionCookies } from './support/cookie-jar';
import { describeSessionApp, type SessionAppContext } from './support/describe-session-app';

const output = join(import.meta.dirname, '../nuxt-app/.output');
let deployed: string | undefined;
afterAll(() => deployed && rmSync(deployed, { recursive: true, force: true }));

it('examples/nuxt-app is built', () => {
  expect(existsSync(join(output, 'server/index.mjs')), 'run bash scripts/node.sh 22 node scripts/consumer-apps.mjs nuxt-app').toBe(true);
});

/** What pages/index.vue rendered on the server for the jar's cookie, and the response. */
async function renderIndex(ctx: SessionAppContext, jar: CookieJar) {
  const response = await ctx.request(jar, '/');
  expect(response.status).toBe(200);
  const html = await response.text();
  return { response, user: /<p data-testid="user">([^<]*)<\/p>/.exec(html)?.[1] };
}

describeSessionApp(
  'examples/nuxt-app',
  (redisUrl) => {
    deployed = mkdtempSync(join(tmpdir(), 'nuxt-app-'));
    cpSync(output, deployed, { recursive: true });
    return startAppServer(join(deployed, 'server/index.mjs'), { cwd: deployed, redisUrl });
  },
  (ctx) => {
    it('renders the page anonymous for a new visitor, with no cookie set', async () => {
      const { response, user } = await renderIndex(ctx, new CookieJar());
      expect(user).toBe('Not signed in');
      expect(response.headers.getSetCookie()).toEqual([]);
    });

    it('renders the signed-in user on the server after login, and anonymous again after logout', async () => {
      const jar = await ctx.newSession();
      expect((await renderIndex(ctx, jar)).user).toBe('Not signed in');
      await ctx.request(jar, '/api/login', { method: 'POST', body: JSON.stringify({ username: 'ada', password: 'lovelace-example' }) });
      const signedIn = await renderIndex(ctx, jar);
      expect(signedIn.user).toBe('Signed in as Ada Lovelace');
      // Rendering read the session, it did not write it: the page sends no cookie.
      expect(sessionCookies(signedIn.response)).toEqual([]);
      await ctx.request(jar, '/api/logout', { method: 'POST' });
      expect((await renderIndex(ctx, jar)).user).toBe('Not signed in');
    });
  },
);
