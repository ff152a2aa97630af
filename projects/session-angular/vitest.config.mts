import angular from '@analogjs/vite-plugin-angular';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [angular({ tsconfig: `${root}tsconfig.spec.json` })],
  // The /analog entry point imports the main one by its package name, as it does once packed.
  resolve: { alias: { '@analog-tools/session-angular': `${root}src/public-api.ts` } },
  test: {
    name: 'session-angular',
    environment: 'jsdom',
    setupFiles: ['src/test-setup.ts'],
    include: ['src/**/*.spec.ts', 'analog/src/**/*.spec.ts'],
    // Inlined so Vite gives it `import.meta.env`: analog-integration.spec.ts runs its requestContextInterceptor.
    server: { deps: { inline: ['@analogjs/router'] } },
  },
});
