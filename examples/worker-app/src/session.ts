// src/session.ts: the session middleware, its store on Cloudflare KV, its secret from the Worker's env
import { env } from 'cloudflare:workers';
import { createUnstorageStore, defineSessionMiddleware } from '@analog-tools/session';

export const session = defineSessionMiddleware({
  store: createUnstorageStore({ type: 'cloudflare-kv-binding', options: { binding: env.SESSIONS } }),
  // A function: read at the first request. Without nodejs_compat, process.env is empty on a Worker.
  secret: () => env.SESSION_SECRET,
});
