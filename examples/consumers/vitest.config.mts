import { defineConfig } from 'vitest/config';

// The consumer apps' drivers: each starts its own Redis and the app's BUILT server as a process, and talks to it
// over HTTP. Not in the root's `projects`: the apps must be installed and built first
// (`node scripts/consumer-apps.mjs`; npm test does both, then runs this config).
export default defineConfig({
  test: {
    name: 'consumers',
    root: import.meta.dirname,
    environment: 'node',
    include: ['*.spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
