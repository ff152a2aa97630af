// The Redis ceilings on h3 v2: bare-h3-redis.mjs's raw ioredis round trips (GET; GET then SET PX) in an h3 2.0.8
// app served through srvx, with no session logic.
import { randomBytes } from 'node:crypto';
import { getCookie, H3, setCookie } from 'h3v2';
import Redis from 'ioredis';
import { listenFetch, MAX_AGE, standalone } from './serve.mjs';
import { record } from './store.mjs';

const TTL_MS = MAX_AGE * 1000;
const COOKIE = 'sid';

/** @param {import('./serve.mjs').ServerConfig} config */
export function start(config) {
  const redis = new Redis(config.redisUrl);
  const app = new H3();
  app.get('/setup', async (event) => {
    const id = randomBytes(24).toString('base64url');
    await redis.set(`sess:${id}`, record(0), 'PX', TTL_MS);
    setCookie(event, COOKIE, id, { httpOnly: true, sameSite: 'lax', maxAge: MAX_AGE });
    return { ok: true };
  });
  app.get('/', async (event) => {
    const id = getCookie(event, COOKIE);
    const key = `sess:${id}`;
    const raw = id ? await redis.get(key) : null;
    const n = raw ? JSON.parse(raw).data.n : null;
    if (config.path === 'write' && raw) await redis.set(key, record(n + 1), 'PX', TTL_MS);
    return { ok: true, n };
  });
  return listenFetch(app.fetch);
}

await standalone(import.meta.url, start);
