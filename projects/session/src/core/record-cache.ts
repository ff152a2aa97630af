// The parsed copies of recently read or written records, so a request whose record has not changed since
// skips JSON.parse and the shape checks: a Map lookup, a string comparison and a copy of `data` instead.
import type { SessionBackend } from './backend';
import type { SessionData } from './config';
import { parseRecord, sanitize, type CachedRecord, type SessionRecord } from './record';

/** Records cached per store, oldest dropped first: at most about 1,000 × 4 KB of raw text and its parse. */
export const RECORD_CACHE_ENTRIES = 1000;
/** Longer raw records are parsed every time: their copies would cost more memory than their parse costs time. */
export const RECORD_CACHE_MAX_CHARS = 4096;

type Entry = CachedRecord;

/**
 * A fresh record with a deep copy of the data, built field by field (one object shape, no spread). The copy
 * drops `__proto__` / `constructor` / `prototype` keys as parsing the stored text does, so a hit and a miss agree.
 */
function handOut<T extends SessionData>(record: SessionRecord<T>): SessionRecord<T> {
  const { version, createdAt, updatedAt, expiresAt, absoluteExpiresAt, userId, label, persistent, authAt } = record;
  const copy: SessionRecord<T> = { version, data: sanitize(record.data) as T, createdAt, updatedAt, expiresAt };
  if (absoluteExpiresAt !== undefined) copy.absoluteExpiresAt = absoluteExpiresAt;
  if (userId !== undefined) copy.userId = userId;
  if (label !== undefined) copy.label = label;
  if (persistent === false) copy.persistent = false;
  if (authAt !== undefined) copy.authAt = authAt;
  return copy;
}

/**
 * parseRecord(raw) for the record stored under `key`, from the cache when the store still holds the same text.
 * The caller owns what it gets: nothing is shared.
 */
export function parseCached<T extends SessionData>(store: SessionBackend, key: string, raw: unknown): SessionRecord<T> | null {
  if (typeof raw !== 'string' || raw.length > RECORD_CACHE_MAX_CHARS) return parseRecord<T>(raw);
  const cache = store.records;
  const hit = cache.get(key);
  if (hit?.raw === raw) return handOut(hit.record as SessionRecord<T>);
  const record = parseRecord<T>(raw);
  if (record) remember(cache, key, raw, handOut(record));
  else if (hit) cache.delete(key);
  return record;
}

/** Caches what a write just stored under `key` (`raw` is serializeRecord(record)); `record` stays the caller's. */
export function rememberRecord(store: SessionBackend, key: string, raw: string, record: SessionRecord<any>): void {
  if (raw.length <= RECORD_CACHE_MAX_CHARS) remember(store.records, key, raw, handOut(record));
}

/** How many records are cached for `store` (for tests and diagnostics). */
export function cachedRecordCount(store: SessionBackend): number {
  return store.records.size;
}

/** Drops the cached record of `key` (the session moved or was deleted). */
export function forgetRecord(store: SessionBackend, key: string): void {
  store.records.delete(key);
}

function remember(cache: Map<string, Entry>, key: string, raw: string, record: SessionRecord<any>): void {
  const entry: Entry = { raw, record };
  cache.delete(key);
  if (cache.size >= RECORD_CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  cache.set(key, entry);
}
