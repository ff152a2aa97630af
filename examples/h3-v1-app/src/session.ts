// src/session.ts: the session middleware, its store on Redis
import { createUnstorageStore, defineSessionMiddleware } from '@analog-tools/session';

// Read at the first request, not at import: building the app needs neither variable.
export const session = defineSessionMiddleware({
  store: createUnstorageStore({
    type: 'redis',
    options: { url: process.env['REDIS_URL'], retryStrategy: () => 100, maxRetriesPerRequest: 1 },
  }),
  secret: process.env['SESSION_SECRET']!,
});
