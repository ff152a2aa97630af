// Peer: h3's built-in useSession (sealed cookie, no store: the whole session travels in the cookie).
import { createApp, defineEventHandler, toNodeListener, useSession } from 'h3';
import { listen, MAX_AGE, SECRET, standalone } from './serve.mjs';

const sessionConfig = { password: SECRET, maxAge: MAX_AGE, name: 'h3' };

/** @param {import('./serve.mjs').ServerConfig} config */
export function start(config) {
  const app = createApp();
  app.use(
    defineEventHandler(async (event) => {
      const session = await useSession(event, sessionConfig);
      if (event.path === '/setup') {
        await session.update({ n: 0 });
        return { ok: true };
      }
      if (config.path === 'write') await session.update((data) => ({ n: (data.n ?? 0) + 1 }));
      return { ok: true, n: session.data.n ?? null };
    }),
  );
  return listen(toNodeListener(app));
}

await standalone(import.meta.url, start);
