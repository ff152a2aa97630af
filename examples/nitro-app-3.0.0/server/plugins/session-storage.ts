// server/plugins/session-storage.ts (nitro@3.0.0): mounts Redis as useStorage('sessions') when the server starts
import { defineNitroPlugin, useStorage } from 'nitro/runtime';
import redisDriver from 'unstorage/drivers/redis';

// Not in nitro.config.ts's `storage`: Nitro writes those options into the build, so REDIS_URL would be the
// build machine's. A plugin runs in the built server and reads the environment it is started with.
export default defineNitroPlugin(() => {
  useStorage().mount('sessions', redisDriver({ url: process.env['REDIS_URL'], retryStrategy: () => 100, maxRetriesPerRequest: 1 }));
});
