import { execFileSync } from 'node:child_process';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../e2e/support/env';

// Runs against examples/analog-app as a user would ship it: packed packages, `vite build` output, Redis.
// Build it first: `node scripts/pack-example.mjs`, then `vite build` in examples/analog-app (npm test does both).

/** A free port, kept in the environment so the workers (which load this file again) use the same one. */
function portFromEnv(name: string): number {
  process.env[name] ??= execFileSync(process.execPath, [
    '-e',
    "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });",
  ])
    .toString()
    .trim();
  return Number(process.env[name]);
}

const builtURL = `http://127.0.0.1:${portFromEnv('EXAMPLE_PORT')}`;
const devURL = `http://127.0.0.1:${portFromEnv('EXAMPLE_DEV_PORT')}`;

function webServer(mode: 'built' | 'dev', url: string) {
  return {
    // The dev server compiles the middleware and the summary route on the first request: minutes on a busy 2-core box.
    command: `node support/serve.mjs ${mode}`,
    cwd: '.',
    url: `${url}/api/session`,
    reuseExistingServer: false,
    timeout: mode === 'dev' ? 180_000 : 60_000,
    stdout: 'pipe' as const,
    stderr: 'pipe' as const,
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 5_000 },
    env: { PORT: new URL(url).port },
  };
}

export default defineConfig({
  testDir: '.',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env['CI']),
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list']],
  outputDir: '../../test-results/analog-app-e2e',
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'built', testMatch: 'built-app.spec.ts', use: { baseURL: builtURL } },
    // The dev server compiles each page on its first request.
    { name: 'dev', testMatch: 'dev-server.spec.ts', use: { baseURL: devURL }, timeout: 90_000, expect: { timeout: 30_000 } },
  ],
  webServer: [webServer('built', builtURL), webServer('dev', devURL)],
});
