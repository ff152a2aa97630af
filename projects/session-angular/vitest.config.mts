import angular from '@analogjs/vite-plugin-angular';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  plugins: [angular({ tsconfig: `${root}tsconfig.spec.json` })],
  test: {
    name: 'session-angular',
    environment: 'jsdom',
    setupFiles: ['src/test-setup.ts'],
    include: ['src/**/*.spec.ts'],
    // Inlined so Vite gives it `import.meta.env`: analog-integration.spec.ts runs its requestContextInterceptor.
    server: { deps: { inline: ['@analogjs/router'] } },
  },
});
