// Ours: @analog-tools/session (the build in dist/session) with an unstorage memory store or real Redis.
import { createApp, defineEventHandler, toNodeListener } from 'h3';
import { createStorage } from 'unstorage';
import redisDriver from 'unstorage/drivers/redis';
import { createUnstorageStore, getSession, updateSession, useSession } from '../../dist/session/index.js';
import { config, listen, MAX_AGE, SECRET } from './serve.mjs';

const cluster = config.redisCluster?.map((port) => ({ host: '127.0.0.1', port }));
const store =
  config.store === 'redis'
    ? await createUnstorageStore({ type: 'redis', options: { url: config.redisUrl } })
    : config.store === 'redis-cluster'
      ? createStorage({ driver: redisDriver({ cluster }) })
      : createStorage();
const sessionConfig = { store, secret: SECRET, maxAge: MAX_AGE, cookie: { secure: false } };

const app = createApp();
app.use(
  defineEventHandler(async (event) => {
    await useSession(event, sessionConfig);
    if (event.path === '/setup') {
      await updateSession(event, () => ({ n: 0 }));
      return { ok: true };
    }
    if (config.path === 'write' || config.path === 'write-shared') await updateSession(event, (data) => ({ n: (data.n ?? 0) + 1 }));
    const data = getSession(event);
    return { ok: true, n: data?.n ?? null };
  }),
);
listen(toNodeListener(app));
