import { describe, expect, it } from 'vitest';
import { createStorage } from 'unstorage';
import { createGenericBackend } from '../stores/generic';
import { cachedRecordCount, forgetRecord, parseCached, RECORD_CACHE_ENTRIES, RECORD_CACHE_MAX_CHARS, rememberRecord } from './record-cache';
import { serializeRecord, type SessionRecord } from './record';

const store = () => createGenericBackend(createStorage(), 'memory');
const record = (version: number, data: Record<string, unknown>): SessionRecord => ({
  version,
  data,
  createdAt: 1,
  updatedAt: 2,
  expiresAt: 3,
});

describe('record cache', () => {
  it('hands every reader its own copy: mutating one never reaches the next', () => {
    const s = store();
    const raw = serializeRecord(record(1, { user: { name: 'ada', roles: ['admin'] } }));
    const first = parseCached(s, 'k', raw)!;
    (first.data['user'] as { roles: string[] }).roles.push('root');
    first.version = 99;
    const second = parseCached(s, 'k', raw)!;
    expect(second).toEqual(record(1, { user: { name: 'ada', roles: ['admin'] } }));
    expect(second.data).not.toBe(first.data);
  });

  it('serves a written record without sharing it with the writer', () => {
    const s = store();
    const written = record(2, { n: 1, list: [1] });
    const raw = serializeRecord(written);
    rememberRecord(s, 'k', raw, written);
    (written.data['list'] as number[]).push(2);
    expect(parseCached(s, 'k', raw)?.data).toEqual({ n: 1, list: [1] });
  });

  it('drops prototype-polluting keys from a written record as parsing its text does', () => {
    const s = store();
    const data = JSON.parse('{"prefs":{"__proto__":{"admin":true},"constructor":1,"theme":"dark"}}') as Record<string, unknown>;
    const written = record(2, data);
    const raw = serializeRecord(written);
    rememberRecord(s, 'k', raw, written);
    const hit = parseCached(s, 'k', raw)!;
    forgetRecord(s, 'k');
    const miss = parseCached(s, 'k', raw)!;
    expect(hit).toEqual(miss);
    expect(hit.data).toEqual({ prefs: { theme: 'dark' } });
    expect((hit.data['prefs'] as { admin?: boolean }).admin).toBeUndefined();
    expect(Object.getPrototypeOf(hit.data['prefs'])).toBe(Object.prototype);
  });

  it('parses again whenever the stored text differs, and gives null for a corrupt one', () => {
    const s = store();
    rememberRecord(s, 'k', serializeRecord(record(1, { n: 1 })), record(1, { n: 1 }));
    expect(parseCached(s, 'k', serializeRecord(record(2, { n: 2 })))?.data).toEqual({ n: 2 });
    expect(parseCached(s, 'k', '{"version":3,')).toBeNull();
    expect(parseCached(s, 'k', serializeRecord(record(2, { n: 2 })))?.version).toBe(2);
    forgetRecord(s, 'k');
    expect(parseCached(s, 'k', null)).toBeNull();
  });

  it('keeps at most RECORD_CACHE_ENTRIES records and parses long ones every time', () => {
    const s = store();
    const raws: string[] = [];
    for (let i = 0; i <= RECORD_CACHE_ENTRIES; i++) {
      raws.push(serializeRecord(record(1, { i })));
      parseCached(s, `k${i}`, raws[i]);
    }
    expect(cachedRecordCount(s)).toBe(RECORD_CACHE_ENTRIES);
    expect(parseCached(s, 'k0', raws[0])?.data).toEqual({ i: 0 });
    const long = serializeRecord(record(1, { text: 'x'.repeat(RECORD_CACHE_MAX_CHARS) }));
    expect(parseCached(s, 'long', long)?.data['text']).toHaveLength(RECORD_CACHE_MAX_CHARS);
    expect(cachedRecordCount(s)).toBe(RECORD_CACHE_ENTRIES);
    forgetRecord(s, 'k0');
    expect(cachedRecordCount(s)).toBe(RECORD_CACHE_ENTRIES - 1);
  });
});
