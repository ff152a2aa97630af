// What @analog-tools/session-angular adds to an app's browser bundle, in gzip bytes, per set of imports.
// Bundles the packed library (dist/session-angular, `npm run build:session-angular` first) the way an app build does:
// Angular's linker turns its partial declarations into definitions, esbuild tree-shakes and minifies, and Angular,
// RxJS and Analog stay outside (every app has them anyway), and `ngDevMode` is false as in a production build.
// Prints one row per scenario; a scenario whose imports the build lacks says so.
//
//   node bench/client-bundle.mjs                 # dist/session-angular
//   node bench/client-bundle.mjs --lib <dir>     # another build of the package (e.g. of an older commit)
import { transformAsync } from '@babel/core';
import linkerPlugin from '@angular/compiler-cli/linker/babel';
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const libArg = process.argv.indexOf('--lib');
const libDir = libArg > 0 ? resolve(process.argv[libArg + 1]) : join(root, 'dist/session-angular');
const library = join(libDir, 'fesm2022/analog-tools-session-angular.mjs');
if (!existsSync(library)) {
  console.error(`${library} is missing: run npm run build:session-angular first.`);
  process.exit(2);
}

// The features' scenarios read their signals as an app does, through SessionLifecycle (which only they provide).
const scenarios = {
  'whole public API': `export * from '@analog-tools/session-angular';`,
  'provideSession + sessionGuard (no lifecycle feature)': `
    import { provideSession, sessionGuard, SessionService } from '@analog-tools/session-angular';
    console.log(provideSession(), sessionGuard(), SessionService);`,
  'provideSession + sessionGuard + withIdleTimeout': `
    import { provideSession, sessionGuard, SessionService, SessionLifecycle, withIdleTimeout } from '@analog-tools/session-angular';
    console.log(provideSession(withIdleTimeout()), sessionGuard(), SessionService, SessionLifecycle);`,
  'provideSession + sessionGuard + withSessionEvents': `
    import { provideSession, sessionGuard, SessionService, SessionLifecycle, withSessionEvents } from '@analog-tools/session-angular';
    console.log(provideSession(withSessionEvents({ url: '/events' })), sessionGuard(), SessionService, SessionLifecycle);`,
  'provideSession + sessionGuard + both features': `
    import {
      provideSession, sessionGuard, SessionService, SessionLifecycle, withIdleTimeout, withSessionEvents,
    } from '@analog-tools/session-angular';
    console.log(
      provideSession(withIdleTimeout(), withSessionEvents({ url: '/events' })), sessionGuard(), SessionService, SessionLifecycle);`,
};

const linker = {
  name: 'angular-linker',
  setup(builder) {
    builder.onResolve({ filter: /^@analog-tools\/session-angular$/ }, () => ({ path: library }));
    builder.onLoad({ filter: /\.mjs$/ }, async (args) => {
      const source = readFileSync(args.path, 'utf8');
      const linked = await transformAsync(source, {
        filename: args.path,
        plugins: [linkerPlugin],
        compact: false,
        babelrc: false,
        configFile: false,
      });
      return { contents: linked.code, loader: 'js' };
    });
  },
};

async function measure(entry) {
  const result = await build({
    stdin: { contents: entry, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    external: ['@angular/*', 'rxjs', 'rxjs/*', '@analogjs/*'],
    define: { ngDevMode: 'false', ngJitMode: 'false', ngI18nClosureMode: 'false' },
    plugins: [linker],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

const rows = [];
for (const [name, entry] of Object.entries(scenarios)) {
  try {
    rows.push({ name, ...(await measure(entry)) });
  } catch (error) {
    rows.push({ name, error: error.errors?.[0]?.text ?? String(error) });
  }
}
for (const row of rows) {
  console.log(row.error ? `${row.name}: n/a (${row.error})` : `${row.name}: ${row.minified} B minified, ${row.gzip} B gzip`);
}
