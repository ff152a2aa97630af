// Ours: @analog-tools/session (the build in dist/session, or `config.entry`: another build, for ab-http.mjs) on h3 v1
// with an unstorage memory store or real Redis.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createApp, defineEventHandler, toNodeListener } from 'h3';
import { listen, MAX_AGE, SECRET, standalone } from './serve.mjs';
import { createBenchStore } from './store.mjs';

/** @param {import('./serve.mjs').ServerConfig} config */
export async function start(config) {
  const { createUnstorageStore, getSession, updateSession, useSession } = await import(
    config.entry ? pathToFileURL(resolve(config.entry)).href : '../../dist/session/index.js'
  );
  const store = await createBenchStore(config, createUnstorageStore);
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
  return listen(toNodeListener(app));
}

await standalone(import.meta.url, start);
