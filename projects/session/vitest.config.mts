import { defineConfig } from 'vitest/config';

export default defineConfig({
  // README examples import the package by its name.
  resolve: { alias: { '@analog-tools/session': new URL('./src/index.ts', import.meta.url).pathname } },
  test: {
    name: 'session',
    root: import.meta.dirname,
    environment: 'node',
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
