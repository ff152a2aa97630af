// The ceilings of the Redis rows: bare h3 plus the round trips a session needs, sent raw through ioredis (the
// client of unstorage's redis driver), with no session logic: one GET on the read path, GET then SET PX on
// the write path. The value has the size and shape of one of our session records.
import { randomBytes } from 'node:crypto';
import { createApp, defineEventHandler, getCookie, setCookie, toNodeListener } from 'h3';
import Redis from 'ioredis';
import { listen, MAX_AGE, standalone } from './serve.mjs';
import { record } from './store.mjs';

const TTL_MS = MAX_AGE * 1000;
const COOKIE = 'sid';

/** @param {import('./serve.mjs').ServerConfig} config */
export function start(config) {
  const redis = new Redis(config.redisUrl);
  const app = createApp();
  app.use(
    defineEventHandler(async (event) => {
      if (event.path === '/setup') {
        const id = randomBytes(24).toString('base64url');
        await redis.set(`sess:${id}`, record(0), 'PX', TTL_MS);
        setCookie(event, COOKIE, id, { httpOnly: true, sameSite: 'lax', maxAge: MAX_AGE });
        return { ok: true };
      }
      const id = getCookie(event, COOKIE);
      const key = `sess:${id}`;
      const raw = id ? await redis.get(key) : null;
      const n = raw ? JSON.parse(raw).data.n : null;
      if (config.path === 'write' && raw) await redis.set(key, record(n + 1), 'PX', TTL_MS);
      return { ok: true, n };
    }),
  );
  return listen(toNodeListener(app));
}

await standalone(import.meta.url, start);
