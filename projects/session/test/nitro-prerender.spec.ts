// A real Nitro 2 build (the one under Analog 2) prerendering a page of an app that installs the session
// middleware, with neither SESSION_SECRET nor a Redis: the build passes, the page is anonymous, the log says so.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '../../../tmp/session-nitro-prerender');

afterAll(() => rmSync(out, { recursive: true, force: true }));

it('prerenders a page behind the session middleware without the secret or the store', async () => {
  rmSync(out, { recursive: true, force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', REDIS_URL: 'redis://127.0.0.1:1' };
  delete env['SESSION_SECRET'];
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(here, 'fixtures/nitro-app/prerender.mjs'), out], { env });
  const log = `${stdout}\n${stderr}`;
  const html = readFileSync(join(out, '.output/public/index.html'), 'utf8');
  expect(JSON.parse(/<pre id="state">(.*)<\/pre>/.exec(html)![1])).toEqual({ session: {}, summary: { authenticated: false } });
  const lines = log.split('\n').filter((line) => line.includes('[@analog-tools/session]'));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/prerendering "\/": .*static and anonymous.*analog\(\{ prerender: \{ routes: \[\] \} \}\)/);
  expect(log).not.toMatch(/SessionError|CONFIG_ERROR|ECONNREFUSED/);
}, 120_000);
