import { defineConfig } from 'vitest/config';
import { CONSUMER_APPS, runsHere } from '../../scripts/consumer-apps.mjs';

// The consumer apps' drivers: each starts its own Redis and the app's BUILT server as a process, and talks to it
// over HTTP. Not in the root's `projects`: the apps must be installed and built first
// (`node scripts/consumer-apps.mjs`; npm test does both, then runs this config). The spec of an app that needs
// another Node (examples/nuxt-app: Node 22) runs only under that Node, which also runs its built server.
export default defineConfig({
  test: {
    name: 'consumers',
    root: import.meta.dirname,
    environment: 'node',
    include: ['*.spec.ts'],
    exclude: Object.keys(CONSUMER_APPS)
      .filter((name) => CONSUMER_APPS[name].node && !runsHere(name))
      .map((name) => `${name}.spec.ts`),
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
