// 100,000 sessions on the recommended development store stay within a bound computed from its
// configuration, and expired sessions are released: by an explicit prune on lru-cache, by the background
// sweep on the plain memory driver.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Storage } from 'unstorage';
import {
  createUnstorageStore,
  DEFAULT_LRU_MAX,
  pruneExpiredSessions,
  updateSession,
  useSession,
  type SessionConfig,
} from '../../src/index';
import { serializeRecord } from '../../src/core/record';
import { SECRET } from '../support/session-app';
import { setCookies, syntheticEvent } from './support/synthetic-event';

const SESSIONS = 100_000;
const MAX_AGE = 60;
/** The data every synthetic session stores, at its widest for the bound. */
const sessionData = (i: number) => ({ user: `user-${String(i).padStart(6, '0')}`, n: i });

/** Creates `count` sessions through the public API, each with its own ID and one write. */
async function createSessions(config: SessionConfig, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const event = syntheticEvent();
    await useSession(event, config);
    await updateSession(event, () => sessionData(i));
    if (i === 0) expect(setCookies(event)[0]).toMatch(/^connect\.sid=s%3A[A-Za-z0-9_-]{32}\./);
  }
}

interface LruLike {
  size: number;
  entries(): Iterable<[string, unknown]>;
}
const lruOf = (store: Storage<any>) => (store.getMount('').driver as unknown as { getInstance(): LruLike }).getInstance();

/** Entries and the bytes of their keys and values, as the lru-cache holds them. */
function measure(store: Storage<any>): { entries: number; bytes: number } {
  let bytes = 0;
  for (const [key, value] of lruOf(store).entries()) bytes += Buffer.byteLength(key) + Buffer.byteLength(String(value));
  return { entries: lruOf(store).size, bytes };
}

describe('memory bounds of the development stores', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const title = `createUnstorageStore({ type: 'lru-cache' }) holds at most DEFAULT_LRU_MAX records after ${SESSIONS} sessions`;
  it(`${title}, and a prune after expiry empties it`, async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = await createUnstorageStore({ type: 'lru-cache' });
    const config: SessionConfig = { store, secret: SECRET, maxAge: MAX_AGE, pruneInterval: false };

    // The bound, from the configuration: DEFAULT_LRU_MAX records, each a key (prefix + SHA-256 hex) and the
    // widest record these sessions write.
    const now = Date.now();
    const widest = serializeRecord({
      version: 1,
      createdAt: now,
      updatedAt: now,
      expiresAt: now + MAX_AGE * 1000,
      data: sessionData(SESSIONS - 1),
    });
    const keyBytes = 'sess:'.length + 64;
    const bound = DEFAULT_LRU_MAX * (keyBytes + Buffer.byteLength(widest));

    const started = performance.now();
    await createSessions(config, SESSIONS);
    const elapsed = performance.now() - started;
    const full = measure(store);
    console.info(
      `[memory-bound] lru-cache: ${SESSIONS} sessions in ${Math.round(elapsed)} ms; ${full.entries} entries, ${full.bytes} bytes ` +
        `stored (bound ${bound} bytes = ${DEFAULT_LRU_MAX} x ${keyBytes + Buffer.byteLength(widest)})`,
    );
    expect(full.entries).toBe(DEFAULT_LRU_MAX);
    expect(full.bytes).toBeLessThanOrEqual(bound);
    // The newest sessions are the ones kept: the oldest were evicted.
    const kept = [...lruOf(store).entries()].map(([, value]) => JSON.parse(String(value)).data.n as number);
    expect(Math.min(...kept)).toBe(SESSIONS - DEFAULT_LRU_MAX);

    vi.setSystemTime(now + (MAX_AGE + 1) * 1000);
    expect(await pruneExpiredSessions(store)).toBe(DEFAULT_LRU_MAX);
    expect(measure(store)).toEqual({ entries: 0, bytes: 0 });
  });

  it('the plain memory driver grows with every session, and its background sweep returns it to 0 entries after expiry', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const store = await createUnstorageStore({ type: 'memory' });
    const config: SessionConfig = { store, secret: SECRET, maxAge: MAX_AGE, pruneInterval: 1 };
    const count = 20_000;
    await createSessions(config, count);
    // Unbounded: every session is still there (this is why lru-cache is the recommended development store).
    expect(await store.getKeys('sess')).toHaveLength(count);

    // Past the expiry and the sweep interval, any request starts the background sweep.
    vi.setSystemTime(Date.now() + (MAX_AGE + 1) * 1000);
    await useSession(syntheticEvent(), config);
    const deadline = performance.now() + 10_000;
    let left = count;
    while ((left = (await store.getKeys('sess')).length) > 0 && performance.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    console.info(`[memory-bound] memory driver: ${count} sessions, ${left} left after the background sweep`);
    expect(left).toBe(0);
  });
});
