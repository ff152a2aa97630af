import { defineConfig } from '@playwright/test';
import { SHARED_CONFIG, portFromEnv, webServer } from './support/config';

// Runs against examples/analog-app as a user would ship it: packed packages, `vite build` output, Redis.
// Build it first: `npm run build:example` (npm test does it).

const builtURL = `http://127.0.0.1:${portFromEnv('EXAMPLE_PORT')}`;
const devURL = `http://127.0.0.1:${portFromEnv('EXAMPLE_DEV_PORT')}`;

export default defineConfig({
  ...SHARED_CONFIG,
  outputDir: '../../test-results/analog-app-e2e',
  projects: [
    { name: 'built', testMatch: 'built-app.spec.ts', use: { baseURL: builtURL } },
    // The dev server compiles each page on its first request.
    { name: 'dev', testMatch: 'dev-server.spec.ts', use: { baseURL: devURL }, timeout: 90_000, expect: { timeout: 30_000 } },
  ],
  webServer: [webServer('built', builtURL), webServer('dev', devURL)],
});
