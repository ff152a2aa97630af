// server/plugins/session-storage.ts: mounts Redis as useStorage('sessions') when the server starts
import { defineNitroPlugin, useStorage } from 'nitropack/runtime';
import redisDriver from 'unstorage/drivers/redis';

// Not in nuxt.config.ts's `nitro.storage`: Nitro writes those options into the build, so REDIS_URL would be the
// build machine's. A plugin runs in the built server and reads the environment it is started with.
export default defineNitroPlugin(() => {
  useStorage().mount('sessions', redisDriver({ url: process.env.REDIS_URL, retryStrategy: () => 100, maxRetriesPerRequest: 1 }));
});
