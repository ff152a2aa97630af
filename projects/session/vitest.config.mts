import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'session',
    root: import.meta.dirname,
    environment: 'node',
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
