import analog from '@analogjs/platform';
import { fileURLToPath } from 'node:url';
import { defineConfig, type PluginOption } from 'vite';

// Builds and serves the demo app (apps/demo). The workspace libraries are consumed from source through
// tsconfig `paths` (Angular side) and the aliases below (Nitro does not read tsconfig paths).
const fromRoot = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Most specific first: an alias also matches the subpaths of its name.
const workspaceLibs = {
  '@analog-tools/session-angular/analog': fromRoot('./projects/session-angular/analog/src/public-api.ts'),
  '@analog-tools/session': fromRoot('./projects/session/src/index.ts'),
  '@analog-tools/session-angular': fromRoot('./projects/session-angular/src/public-api.ts'),
};

// Pages that show per-user data must never be stored by the browser or a proxy (the back button
// after logout must not show them from the HTTP cache or bfcache).
const noStore = { headers: { 'cache-control': 'no-store' } };

export default defineConfig(() => ({
  root: fromRoot('./apps/demo'),
  publicDir: fromRoot('./apps/demo/public'),
  // Client assets land outside dist/demo because Nitro empties its output dir before writing it.
  build: {
    outDir: fromRoot('./dist/demo-build/client'),
    emptyOutDir: true,
    target: ['es2022'],
  },
  resolve: { alias: workspaceLibs },
  plugins: process.env['VITEST']
    ? []
    : ([
        analog({
          ssr: true,
          workspaceRoot: fromRoot('.'),
          ssrBuildDir: fromRoot('./dist/demo-build/ssr'),
          // Every page reads the session cookie: nothing may be prerendered.
          prerender: { routes: [] },
          vite: { tsconfig: fromRoot('./apps/demo/tsconfig.app.json') },
          nitro: {
            alias: workspaceLibs,
            buildDir: fromRoot('./dist/demo-build/.nitro'),
            output: {
              dir: fromRoot('./dist/demo'),
              publicDir: fromRoot('./dist/demo/public'),
            },
            routeRules: {
              '/': noStore,
              '/login': noStore,
              '/account': noStore,
              '/account/**': noStore,
              '/api/**': noStore,
            },
          },
        }),
      ] as PluginOption[]),
}));
