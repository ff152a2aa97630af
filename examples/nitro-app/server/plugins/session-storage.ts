// server/plugins/session-storage.ts: mounts Redis as useStorage('sessions') when the server starts
import { definePlugin } from 'nitro';
import { useStorage } from 'nitro/storage';
import redisDriver from 'unstorage/drivers/redis';

// Not in nitro.config.ts's `storage`: Nitro writes those options into the build, so REDIS_URL would be the
// build machine's. A plugin runs in the built server and reads the environment it is started with.
export default definePlugin(() => {
  const options = { url: process.env['REDIS_URL'], retryStrategy: () => 100, maxRetriesPerRequest: 1 };
  // `lib` lets the build see ioredis and copy it into .output, which then runs without the app's node_modules.
  useStorage().mount('sessions', redisDriver({ ...options, lib: () => import('ioredis') }));
});
