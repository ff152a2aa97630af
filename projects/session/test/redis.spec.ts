import { createUnstorageStore } from '../src/index';
// @ts-expect-error plain ESM helper shared with e2e/ and bench/
import { startRedis } from '../../../tools/redis-server.mjs';
import { describeSessionStore } from './support/describe-session-store';

describeSessionStore('redis', async () => {
  const redis = await startRedis();
  const store = await createUnstorageStore({ type: 'redis', options: { url: redis.url } });
  return {
    store,
    dispose: async () => {
      await store.dispose();
      await redis.stop();
    },
  };
});
