// `vite build` of one of the repo's Analog apps, then a check that Angular compiled every page ahead of time in
// both bundles.
//
//   node scripts/vite-build-aot.mjs <demo|example|example-angular-22> [--check-only]
//
// Analog builds the client and the server environments at once (@analogjs/vite-plugin-nitro's buildApp runs both
// builds in a Promise.all). In one of the last nine fresh-clone CI runs, the example's server bundle came out
// with its pages uncompiled (decorators left in place, no `ɵcmp` definition): the server then rendered every page
// with an empty <main> and logged "JIT compiler unavailable". The build reported success. This script catches
// that and builds once more; a second bad build fails with the file names.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
/** Where each app builds from, its vite config, and the asset folders of its client and server bundles. The examples
 * build with their own Vite (their own node_modules, scripts/consumer-apps.mjs), the demo with the repo's. */
const EXAMPLE_ASSETS = ['dist/client/assets', 'dist/ssr/assets'];
const APPS = {
  demo: { cwd: '.', config: 'vite.config.ts', assets: ['dist/demo-build/client/assets', 'dist/demo-build/ssr/assets'] },
  example: { cwd: 'examples/analog-app', config: undefined, assets: EXAMPLE_ASSETS },
  'example-angular-22': { cwd: 'examples/analog-app-angular-22', config: undefined, assets: EXAMPLE_ASSETS },
};
const { values, positionals } = parseArgs({ options: { 'check-only': { type: 'boolean' } }, allowPositionals: true });
const app = APPS[positionals[0]];
if (!app || positionals.length !== 1) {
  throw new Error(`usage: node scripts/vite-build-aot.mjs <${Object.keys(APPS).join('|')}> [--check-only]`);
}
const cwd = resolve(root, app.cwd);
const assetDirs = app.assets.map((dir) => resolve(cwd, dir));

/** The page chunks (`*.page-<hash>.js`) of `dir` without a compiled component definition (`ɵcmp`, kept by minifiers). */
function uncompiledPages(dir) {
  if (!existsSync(dir)) return [`${dir} (missing)`];
  const pages = readdirSync(dir).filter((file) => /\.page-[\w-]+\.js$/.test(file));
  if (pages.length === 0) return [`${dir} (no *.page-*.js chunk)`];
  return pages.filter((file) => !readFileSync(join(dir, file), 'utf8').includes('ɵcmp')).map((file) => join(dir, file));
}

for (let attempt = 1; ; attempt++) {
  const args = [join(cwd, 'node_modules/vite/bin/vite.js'), 'build', ...(app.config ? ['--config', app.config] : [])];
  if (!values['check-only']) {
    const result = spawnSync(process.execPath, args, { cwd, stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
  const bad = assetDirs.flatMap(uncompiledPages);
  if (bad.length === 0) break;
  const message = `[vite-build-aot] pages bundled without Angular's ahead-of-time compilation:\n  ${bad.join('\n  ')}`;
  if (attempt === 2 || values['check-only']) {
    console.error(values['check-only'] ? message : `${message}\n[vite-build-aot] the second build has them too: giving up.`);
    process.exit(1);
  }
  console.warn(`${message}\n[vite-build-aot] building again (see the comment at the top of scripts/vite-build-aot.mjs).`);
}
