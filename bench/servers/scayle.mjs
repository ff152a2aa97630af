// Peer: @scayle/h3-session with its UnstorageSessionStore (unstorage memory or redis driver).
// Its data is not saved automatically (README, "Session.save()"): the write path calls save().
import { UnstorageSessionStore, useSession } from '@scayle/h3-session';
import { createApp, defineEventHandler, toNodeListener } from 'h3';
import { createStorage } from 'unstorage';
import redisDriver from 'unstorage/drivers/redis';
import { listen, MAX_AGE, SECRET, standalone } from './serve.mjs';

/** @param {import('./serve.mjs').ServerConfig} config */
export function start(config) {
  const storage = config.store === 'redis' ? createStorage({ driver: redisDriver({ url: config.redisUrl }) }) : createStorage();
  const store = new UnstorageSessionStore(storage, { ttl: MAX_AGE });
  // secure: false because the bench talks plain http; saveUninitialized: false is its default, spelled out here.
  const sessionConfig = { store, secret: SECRET, saveUninitialized: false, cookie: { secure: false, maxAge: MAX_AGE } };

  const app = createApp();
  app.use(
    defineEventHandler(async (event) => {
      await useSession(event, sessionConfig);
      const session = event.context.session;
      if (event.path === '/setup') {
        session.data.n = 0;
        await session.save();
        return { ok: true };
      }
      if (config.path === 'write') {
        session.data.n = (session.data.n ?? 0) + 1;
        await session.save();
      }
      return { ok: true, n: session.data.n ?? null };
    }),
  );
  return listen(toNodeListener(app));
}

await standalone(import.meta.url, start);
