// examples/h3-app (h3 v2 on srvx) and examples/h3-v1-app (h3 v1 on node:http), each built with tsc by
// scripts/consumer-apps.mjs and started as `node dist/server.js`.
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
