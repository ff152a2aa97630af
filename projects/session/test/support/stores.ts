// The storage backends every suite runs against, each with its clean-up: real ones only (a real
// redis-server on a free port, a temporary folder for fs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from 'unstorage';
import { createUnstorageStore } from '../../src/index';
// @ts-expect-error plain ESM helper shared with e2e/ and bench/
import { startRedis } from '../../../../tools/redis-server.mjs';

export interface StoreUnderTest {
  store: Storage<any>;
  dispose: () => Promise<void>;
  /** Keys carry Redis Cluster hash tags. */
  hashTags?: boolean;
}

export async function memoryStore(): Promise<StoreUnderTest> {
  const store = await createUnstorageStore({ type: 'memory' });
  return { store, dispose: () => store.dispose() };
}

export async function lruCacheStore(): Promise<StoreUnderTest> {
  const store = await createUnstorageStore({ type: 'lru-cache' });
  return { store, dispose: () => store.dispose() };
}

export async function fsStore(): Promise<StoreUnderTest> {
  const base = mkdtempSync(join(tmpdir(), 'session-fs-'));
  const store = await createUnstorageStore({ type: 'fs', options: { base } });
  return {
    store,
    dispose: async () => {
      await store.dispose();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

export async function redisStore(): Promise<StoreUnderTest> {
  const redis = await startRedis();
  const store = await createUnstorageStore({ type: 'redis', options: { url: redis.url } });
  return {
    store,
    dispose: async () => {
      await store.dispose();
      await redis.stop();
    },
  };
}
