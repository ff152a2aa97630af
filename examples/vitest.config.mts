import { defineConfig } from 'vitest/config';

// Checks of the consumer example against what users see: the root README's snippets are the example's files,
// and the packed packages type-check under nodenext and bundler (run after scripts/pack-example.mjs).
export default defineConfig({
  test: {
    name: 'examples',
    root: import.meta.dirname,
    environment: 'node',
    include: ['*.spec.ts'],
    testTimeout: 60_000,
  },
});
