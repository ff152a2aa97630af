// Our build (dist/session) as an app on h3 v2 gets it: the same file, with `h3` resolved to h3 2.0.8.
// It is a second instance of the module (its own module-level state), so a process can hold both. BENCH_SESSION_BUILD
// names another build of index.js (an A/B of two builds, bench/ab-h3v2.mjs).
import { register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./h3v2-hooks.mjs', import.meta.url);

const build = process.env['BENCH_SESSION_BUILD']
  ? pathToFileURL(process.env['BENCH_SESSION_BUILD'])
  : new URL('../../dist/session/index.js', import.meta.url);
/** @type {typeof import('../../dist/session/index.js')} */
export const session = await import(`${build.href}?h3v2`);
