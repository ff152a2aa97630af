// Ours on h3 v2: the same build (dist/session) with `h3` resolved to h3 2.0.8 (h3v2-session.mjs), used through
// its public API as an h3 v2 app would, `app.use(defineSessionMiddleware(config))`, then getSession and
// updateSession in the routes; served through srvx like bare-h3v2.mjs.
import { H3 } from 'h3v2';
import { session } from './h3v2-session.mjs';
import { listenFetch, MAX_AGE, SECRET, standalone } from './serve.mjs';
import { createBenchStore } from './store.mjs';

const { createUnstorageStore, defineSessionMiddleware, getSession, updateSession } = session;

/** @param {import('./serve.mjs').ServerConfig} config */
export async function start(config) {
  const store = await createBenchStore(config, createUnstorageStore);
  const app = new H3();
  app.use(defineSessionMiddleware({ store, secret: SECRET, maxAge: MAX_AGE, cookie: { secure: false } }));
  app.get('/setup', async (event) => {
    await updateSession(event, () => ({ n: 0 }));
    return { ok: true };
  });
  // getSession is synchronous once the middleware ran: the read route is a plain function, as bare-h3v2.mjs's is.
  const read = (event) => ({ ok: true, n: getSession(event)?.n ?? null });
  const write = async (event) => {
    await updateSession(event, (data) => ({ n: (data.n ?? 0) + 1 }));
    return read(event);
  };
  app.get('/', config.path === 'write' || config.path === 'write-shared' ? write : read);
  return listenFetch(app.fetch);
}

await standalone(import.meta.url, start);
