import { defineConfig } from 'vitest/config';
import sessionOnH3v2 from './projects/session/vitest.h3v2.mts';

// One entry point for every unit and integration suite; each project owns its own config.
export default defineConfig({
  test: {
    projects: ['projects/*/vitest.config.mts', ...sessionOnH3v2, 'apps/*/vitest.config.mts', 'examples/vitest.config.mts'],
  },
});
