// The ceiling: an h3 v1 app answering a small JSON, with the same /setup check the session servers make.
import { createApp, defineEventHandler, toNodeListener } from 'h3';
import { listen, standalone } from './serve.mjs';

/** @param {import('./serve.mjs').ServerConfig} _config */
export function start(_config) {
  const app = createApp();
  app.use(
    defineEventHandler((event) => {
      if (event.path === '/setup') return { ok: true };
      return { ok: true, n: 0 };
    }),
  );
  return listen(toNodeListener(app));
}

await standalone(import.meta.url, start);
