import { defineConfig } from 'vitest/config';

// One entry point for every unit and integration suite; each project owns its own config.
export default defineConfig({
  test: {
    projects: ['projects/*/vitest.config.mts', 'apps/*/vitest.config.mts', 'examples/vitest.config.mts'],
  },
});
