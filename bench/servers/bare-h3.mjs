// The ceiling: an h3 v1 app answering a small JSON, with the same /setup check the session servers make.
import { createApp, defineEventHandler, toNodeListener } from 'h3';
import { listen } from './serve.mjs';

const app = createApp();
app.use(
  defineEventHandler((event) => {
    if (event.path === '/setup') return { ok: true };
    return { ok: true, n: 0 };
  }),
);
listen(toNodeListener(app));
