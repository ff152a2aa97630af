// The stores of the scenarios: the one a session server is given (made as our README shows, through the build under
// test), and the record the Redis ceilings keep in place of a session.
import { createStorage } from 'unstorage';
import redisDriver from 'unstorage/drivers/redis';
import { MAX_AGE } from './serve.mjs';

/**
 * @param {import('./serve.mjs').ServerConfig} config
 * @param {(options: object) => Promise<import('unstorage').Storage>} createUnstorageStore  from the build under test
 */
export async function createBenchStore(config, createUnstorageStore) {
  if (config.store === 'redis') return createUnstorageStore({ type: 'redis', options: { url: config.redisUrl } });
  if (config.store === 'redis-cluster') {
    return createStorage({ driver: redisDriver({ cluster: config.redisCluster?.map((port) => ({ host: '127.0.0.1', port })) }) });
  }
  return createStorage();
}

/** What the Redis ceilings store per session: a value of the size and shape of one of our session records. */
export function record(n) {
  const now = Date.now();
  const ttlMs = MAX_AGE * 1000;
  return JSON.stringify({ version: n + 1, createdAt: now, updatedAt: now, expiresAt: now + ttlMs, data: { n } });
}
