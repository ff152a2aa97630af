import type { ServerResponse } from 'node:http';
import { defineEventHandler } from 'h3';

const PRIVATE_NO_STORE = 'private, no-store';

/**
 * Marks every answer of the demo's server `Cache-Control: private, no-store`, whatever the path, method or
 * status: pages, API answers, redirects and errors. Every page shows who is signed in, and unknown paths
 * (`/account;x.css`, `/Account`, `/nonexistent.css`) render the app too, so a cache deciding by "looks static"
 * would otherwise keep a signed-in page for the next visitor (web cache deception). It also keeps private pages
 * out of the browser's back/forward history after logout.
 *
 * The header is set when the status line is written (Node sends every response through `writeHead`), so that
 * no handler, library or error page that runs later can weaken it. Runs first (Nitro runs middleware files in
 * name order). Files from `public/` and the build's hashed assets are served before any middleware, keep their
 * own caching, and hold no session data.
 */
export default defineEventHandler((event) => {
  const response: ServerResponse = event.node.res;
  const writeHead = response.writeHead;
  response.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
    if (!this.headersSent) this.setHeader('cache-control', PRIVATE_NO_STORE);
    return writeHead.apply(this, args);
  } as ServerResponse['writeHead'];
});
