// Peer: express 5 + express-session, with connect-redis (node-redis client), connect-pg-simple (PostgreSQL, its
// table created by run.mjs) or express-session's MemoryStore.
// Settings are the ones both READMEs recommend: resave: false, saveUninitialized: false.
import connectPgSimple from 'connect-pg-simple';
import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import { createClient } from 'redis';
import { listen, MAX_AGE, SECRET, standalone } from './serve.mjs';

/** @param {import('./serve.mjs').ServerConfig} config */
export async function start(config) {
  let store;
  if (config.store === 'redis') {
    const client = createClient({ url: config.redisUrl });
    await client.connect();
    store = new RedisStore({ client });
  } else if (config.store === 'postgres') {
    store = new (connectPgSimple(session))({ conString: process.env['BENCH_POSTGRES_URL'] });
  } else {
    store = new session.MemoryStore();
  }

  const app = express();
  app.set('etag', false);
  app.use(
    session({
      store,
      secret: SECRET,
      resave: false,
      saveUninitialized: false,
      cookie: { maxAge: MAX_AGE * 1000 },
    }),
  );
  app.get('/setup', (req, res) => {
    req.session.n = 0;
    res.json({ ok: true });
  });
  app.get('/', (req, res) => {
    if (config.path === 'write') req.session.n = (req.session.n ?? 0) + 1;
    res.json({ ok: true, n: req.session.n ?? null });
  });
  return listen(app);
}

await standalone(import.meta.url, start);
