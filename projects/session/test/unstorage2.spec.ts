// The conformance suite on unstorage 2 (Nitro 3's): this file's module graph, the library included, gets
// unstorage 2 wherever it imports unstorage or one of its drivers.
import { describe, expect, it, vi } from 'vitest';
import { getSessionBackend } from '../src/stores/get-backend';
import { parseRecord, recordVersion, serializeRecord } from '../src/core/record';
import { describeSessionStore } from './support/describe-session-store';
import { fsStore, lruCacheStore, memoryStore, redisStore } from './support/stores';

vi.mock('unstorage', () => import('unstorage2'));
vi.mock('unstorage/drivers/memory', () => import('unstorage2/drivers/memory'));
vi.mock('unstorage/drivers/lru-cache', () => import('unstorage2/drivers/lru-cache'));
vi.mock('unstorage/drivers/fs', () => import('unstorage2/drivers/fs'));
vi.mock('unstorage/drivers/redis', () => import('unstorage2/drivers/redis'));

describeSessionStore('memory, unstorage 2', memoryStore);
describeSessionStore('lru-cache, unstorage 2', lruCacheStore);
describeSessionStore('fs, unstorage 2', fsStore);
describeSessionStore('redis, unstorage 2', redisStore);

describe('on unstorage 2', () => {
  it('runs the library on unstorage 2: drivers answer getInstance() with a promise', async () => {
    const { builtinDrivers } = await import('unstorage');
    expect(builtinDrivers).toHaveProperty('cloudflare-cache-binding');
    const lru = await lruCacheStore();
    const redis = await redisStore();
    try {
      expect(lru.store.getMount('').driver.getInstance!()).toBeInstanceOf(Promise);
      expect(redis.store.getMount('').driver.getInstance!()).toBeInstanceOf(Promise);
      expect(getSessionBackend(redis.store, 'sess:').backend).toBe('redis');
    } finally {
      await lru.dispose();
      await redis.dispose();
    }
  });

  it('reads records that unstorage 2 returns as bytes (raw Redis reads are Buffers)', async () => {
    const redis = await redisStore();
    try {
      const record = serializeRecord({ version: 1, data: { a: 1 }, createdAt: 1, updatedAt: 1, expiresAt: Date.now() + 60_000 });
      await redis.store.setItemRaw('sess:0123abcdef', record);
      const raw = await redis.store.getItemRaw('sess:0123abcdef');
      expect(raw).toBeInstanceOf(Uint8Array);
      expect(parseRecord(raw)?.data).toEqual({ a: 1 });
      expect(recordVersion(raw)).toBe(1);
    } finally {
      await redis.dispose();
    }
  });
});
