// examples/nitro-app (Nitro 3.0.260903-beta) and examples/nitro-app-3.0.0 (nitro@3.0.0), each built by
// scripts/consumer-apps.mjs. The built .output is copied to a temporary folder and started from there, as a
// deployment would: it must run without the app's node_modules.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startAppServer } from './support/app-server';
import { sessionCookies } from './support/cookie-jar';
import { describeSessionApp } from './support/describe-session-app';

const ANONYMOUS_PAGE = { user: null, session: {} };
const deployDirs: string[] = [];
afterAll(() => deployDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

for (const app of ['nitro-app', 'nitro-app-3.0.0']) {
  const output = join(import.meta.dirname, '..', app, '.output');

  it(`examples/${app} is built and prerendered /prerendered anonymous, with no secret and no store`, () => {
    expect(existsSync(join(output, 'server/index.mjs')), `run node scripts/consumer-apps.mjs ${app}`).toBe(true);
    const page = join(output, 'public/prerendered');
    expect(existsSync(page), `${page}: the prerender of /prerendered failed (see the build output)`).toBe(true);
    expect(JSON.parse(readFileSync(page, 'utf8'))).toEqual(ANONYMOUS_PAGE);
  });

  describeSessionApp(
    `examples/${app}`,
    (redisUrl) => {
      const deployed = mkdtempSync(join(tmpdir(), `${app}-`));
      deployDirs.push(deployed);
      cpSync(output, deployed, { recursive: true });
      return startAppServer(join(deployed, 'server/index.mjs'), { cwd: deployed, redisUrl });
    },
    (ctx) => {
      it('serves the prerendered page anonymous to a signed-in visitor, without touching the cookie', async () => {
        const jar = await ctx.newSession();
        await ctx.request(jar, '/api/login', { method: 'POST', body: JSON.stringify({ username: 'ada', password: 'lovelace-example' }) });
        const response = await fetch(`${ctx.server.url}/prerendered`, { headers: { cookie: jar.header() } });
        expect(response.status).toBe(200);
        expect(await response.json()).toEqual(ANONYMOUS_PAGE);
        expect(sessionCookies(response)).toEqual([]);
      });
    },
  );
}
