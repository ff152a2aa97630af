// @ts-expect-error plain ESM helper shared with e2e/ and bench/
import { startRedis } from '../../../tools/redis-server.mjs';
import { describeTwoInstances } from './support/describe-two-instances';
import { spawnSessionServer } from './support/spawn-test-server';

describeTwoInstances('one Redis', async () => {
  const redis = await startRedis();
  return { spawn: () => spawnSessionServer({ REDIS_URL: redis.url }), stop: () => redis.stop() };
});
