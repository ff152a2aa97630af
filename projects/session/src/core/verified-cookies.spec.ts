import { describe, expect, it } from 'vitest';
import { createVerifiedCookieCache, type VerifiedCookie } from './verified-cookies';

const SIGNATURE = 'A'.repeat(31) + 'Qx7_bZ-12kLm';
const sent = (id: string, signature = SIGNATURE) => `s%3A${id}.${signature}`;
const verified = (id: string, signature = SIGNATURE): VerifiedCookie => ({
  sent: sent(id, signature),
  id,
  key: `sess:${id}`,
  current: true,
  value: `s:${id}.${signature}`,
});

describe('verified-cookie cache', () => {
  it('finds a value only when it is byte for byte one that was stored', () => {
    const cache = createVerifiedCookieCache();
    cache.set(verified('id-one'));
    expect(cache.get(sent('id-one'))).toEqual(verified('id-one'));
    // Same signature, another ID: a different value, not found.
    expect(cache.get(sent('id-two'))).toBeUndefined();
    expect(cache.get(`x${sent('id-one')}`)).toBeUndefined();
    expect(cache.get(sent('id-one').slice(1))).toBeUndefined();
    expect(cache.get(sent('id-one', SIGNATURE.slice(0, -1) + 'y'))).toBeUndefined();
    expect(cache.get('')).toBeUndefined();
  });

  it('keeps each verified value, however alike, evicts the oldest beyond its size, and forgets a deleted one', () => {
    const cache = createVerifiedCookieCache(2);
    cache.set(verified('a'));
    cache.set(verified('b'));
    expect(cache.get(sent('a'))?.id).toBe('a');
    expect(cache.get(sent('b'))?.id).toBe('b');

    cache.set(verified('c', 'B'.repeat(43)));
    expect(cache.size).toBe(2);
    expect(cache.get(sent('a'))).toBeUndefined();
    expect(cache.get(sent('b'))?.id).toBe('b');
    expect(cache.get(sent('c', 'B'.repeat(43)))?.id).toBe('c');

    cache.delete(sent('b'));
    expect(cache.get(sent('b'))).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});
