// src/server/middleware/session.ts: every API route and server-rendered page gets its session
import { createStorage } from 'unstorage';
import redisDriver from 'unstorage/drivers/redis';
import { defineSessionMiddleware } from '@analog-tools/session';

export const store = createStorage({
  driver: redisDriver({ url: process.env['REDIS_URL'], retryStrategy: () => 100, maxRetriesPerRequest: 1 }),
});

export default defineSessionMiddleware({ store, secret: process.env['SESSION_SECRET']! });
