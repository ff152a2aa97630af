// Our build (dist/session) as an app on h3 v2 gets it: the same file, with `h3` resolved to h3 2.0.8.
// It is a second instance of the module (its own module-level state), so a process can hold both.
import { register } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

register('./h3v2-hooks.mjs', import.meta.url);

// The server's config may name another build (`entry`, for ab-http.mjs); a one-process host's list never does.
const config = JSON.parse(process.env['BENCH_SERVER'] ?? '{}');
const build = config.entry ? pathToFileURL(resolve(config.entry)) : new URL('../../dist/session/index.js', import.meta.url);
/** @type {typeof import('../../dist/session/index.js')} */
export const session = await import(`${build.href}?h3v2`);
