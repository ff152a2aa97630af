import { defineConfig } from '@playwright/test';
import { SHARED_CONFIG, portFromEnv, webServer } from './support/config';

// The built-server suite of examples/analog-app, against its twin on Angular 22 (Analog's Angular 22 template:
// zoneless, event replay) built and served under Node 24. Build it first: `npm run build:example-angular-22`,
// and run this under Node 24 too (npm test does both: tools/node24's node first on PATH).

const builtURL = `http://127.0.0.1:${portFromEnv('EXAMPLE_ANGULAR_22_PORT')}`;

export default defineConfig({
  ...SHARED_CONFIG,
  outputDir: '../../test-results/analog-app-angular-22-e2e',
  projects: [{ name: 'angular-22', testMatch: 'built-app.spec.ts', use: { baseURL: builtURL } }],
  webServer: [webServer('built', builtURL, 'analog-app-angular-22')],
});
