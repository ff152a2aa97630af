// The h3 v2 ceiling: an h3 2.0.8 app answering a small JSON on the same two routes the v2 session servers have,
// served through srvx on Node (serve.mjs listenFetch). With path `cache-control` it also sets the response header our
// middleware sets on a session's response, `Cache-Control: private, no-store` (a reference row, not a goal's ceiling).
import { H3 } from 'h3v2';
import { listenFetch, standalone } from './serve.mjs';

/** @param {import('./serve.mjs').ServerConfig} config */
export function start(config) {
  const app = new H3();
  const header = config.path === 'middleware';
  app.get('/setup', () => ({ ok: true }));
  app.get('/', (event) => {
    if (header) event.res.headers.set('middleware', 'private, no-store');
    return { ok: true, n: 0 };
  });
  return listenFetch(app.fetch);
}

await standalone(import.meta.url, start);
