// examples/h3-app (h3 v2 on srvx) and examples/h3-v1-app (h3 v1 on node:http), each built with tsc by
// scripts/consumer-apps.mjs and started as `node dist/server.js`; examples/h3-app also on Bun and Deno, whose srvx
// adapters h3's serve() picks there (the runtimes from tools/runtimes: `npm ci --prefix tools/runtimes`).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startAppServer } from './support/app-server';
import { describeSessionApp } from './support/describe-session-app';

for (const app of ['h3-app', 'h3-v1-app']) {
  const appDir = join(import.meta.dirname, '..', app);
  const entry = join(appDir, 'dist/server.js');

  it(`examples/${app} is built`, () => {
    expect(existsSync(entry), `${entry} is missing: run node scripts/consumer-apps.mjs ${app}`).toBe(true);
  });

  it(`examples/${app} type-checks against the packed package`, () => {
    execFileSync(join(appDir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json', '--noEmit'], { cwd: appDir, stdio: 'pipe' });
  });

  describeSessionApp(`examples/${app}`, (redisUrl) => startAppServer(entry, { cwd: appDir, redisUrl }));
}

const runtimes = join(import.meta.dirname, '../../tools/runtimes/node_modules');
const OTHER_RUNTIMES = {
  'Bun 1.4.5': [join(runtimes, '@oven/bun-linux-x64/bin/bun')],
  'Deno 2.9.6': [join(runtimes, '@deno/linux-x64-glibc/deno'), 'run', '-A'],
};
const h3App = join(import.meta.dirname, '../h3-app');
for (const [name, runtime] of Object.entries(OTHER_RUNTIMES)) {
  it(`${name} is installed (npm ci --prefix tools/runtimes) and is that version`, () => {
    expect(existsSync(runtime[0]!), `${runtime[0]} is missing`).toBe(true);
    expect(execFileSync(runtime[0]!, ['--version'], { encoding: 'utf8' })).toContain(name.split(' ')[1]);
  });

  describeSessionApp(`examples/h3-app on ${name}`, (redisUrl) =>
    startAppServer(join(h3App, 'dist/server.js'), { cwd: h3App, redisUrl, runtime }),
  );
}
