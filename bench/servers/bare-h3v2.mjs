// The h3 v2 ceiling: an h3 2.0.8 app answering a small JSON on the same two routes the v2 session servers have,
// served through srvx on Node (serve.mjs listenFetch). With path `middleware` (a reference row, not a goal's ceiling)
// it also runs one middleware that does what ours does around a request with no session work: it sets the response
// header ours sets on a session's response, `Cache-Control: private, no-store`, and awaits the rest of the request.
import { H3 } from 'h3v2';
import { listenFetch, standalone } from './serve.mjs';

/** @param {import('./serve.mjs').ServerConfig} config */
export function start(config) {
  const app = new H3();
  if (config.path === 'middleware') {
    app.use(async (event, next) => {
      event.res.headers.set('cache-control', 'private, no-store');
      return await next();
    });
  }
  app.get('/setup', () => ({ ok: true }));
  app.get('/', () => ({ ok: true, n: 0 }));
  return listenFetch(app.fetch);
}

await standalone(import.meta.url, start);
