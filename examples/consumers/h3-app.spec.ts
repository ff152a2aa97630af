// examples/h3-app: plain h3 v2 on srvx, built with tsc, started as `node dist/server.js` (scripts/consumer-apps.mjs
// installs and builds it).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startAppServer } from './support/app-server';
import { describeSessionApp } from './support/describe-session-app';

const appDir = join(import.meta.dirname, '../h3-app');
const entry = join(appDir, 'dist/server.js');

it('examples/h3-app is built', () => {
  expect(existsSync(entry), `${entry} is missing: run node scripts/consumer-apps.mjs h3-app`).toBe(true);
});

it('examples/h3-app type-checks against the packed package', () => {
  execFileSync(join(appDir, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json', '--noEmit'], { cwd: appDir, stdio: 'pipe' });
});

describeSessionApp('examples/h3-app', (redisUrl) => startAppServer(entry, { cwd: appDir, redisUrl }));
