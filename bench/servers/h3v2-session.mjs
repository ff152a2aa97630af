// Our build (dist/session) as an app on h3 v2 gets it: the same file, with `h3` resolved to h3 2.0.8.
// It is a second instance of the module (its own module-level state), so a process can hold both.
import { register } from 'node:module';

register('./h3v2-hooks.mjs', import.meta.url);

/** @type {typeof import('../../dist/session/index.js')} */
export const session = await import(`${new URL('../../dist/session/index.js', import.meta.url).href}?h3v2`);
