// The h3 v2 ceiling: an h3 2.0.8 app answering a small JSON on the same two routes the v2 session servers have,
// served through srvx on Node (serve.mjs listenFetch).
import { H3 } from 'h3v2';
import { listenFetch, standalone } from './serve.mjs';

/** @param {import('./serve.mjs').ServerConfig} _config */
export function start(_config) {
  const app = new H3();
  app.get('/setup', () => ({ ok: true }));
  app.get('/', () => ({ ok: true, n: 0 }));
  return listenFetch(app.fetch);
}

await standalone(import.meta.url, start);
