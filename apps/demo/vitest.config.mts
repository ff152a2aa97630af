import { defineConfig } from 'vitest/config';

const fromHere = (path: string) => new URL(path, import.meta.url).pathname;

// Server-side tests of the demo (API routes and helpers) through a real HTTP server; the browser side is
// covered by the Playwright suite in e2e/.
export default defineConfig({
  resolve: { alias: { '@analog-tools/session': fromHere('../../projects/session/src/index.ts') } },
  test: {
    name: 'demo',
    root: import.meta.dirname,
    environment: 'node',
    include: ['test/**/*.spec.ts'],
    testTimeout: 20_000,
  },
});
