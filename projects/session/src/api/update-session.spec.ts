import { describe, expect, it } from 'vitest';
import { mergeSessionData } from './update-session';

describe('mergeSessionData', () => {
  it('merges shallowly, deletes undefined keys, leaves the input untouched', () => {
    const data = { a: 1, b: { deep: true }, c: 3 };
    const merged = mergeSessionData<Record<string, unknown>>(data, { b: { other: 1 }, c: undefined, d: 4 });
    expect(merged).toEqual({ a: 1, b: { other: 1 }, d: 4 });
    expect(data).toEqual({ a: 1, b: { deep: true }, c: 3 });
  });

  it('ignores prototype-polluting keys and non-object results', () => {
    const merged = mergeSessionData<Record<string, unknown>>({ a: 1 }, JSON.parse('{"__proto__":{"polluted":true},"constructor":1,"b":2}'));
    expect(merged).toEqual({ a: 1, b: 2 });
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(mergeSessionData({ a: 1 }, null)).toEqual({ a: 1 });
    expect(mergeSessionData({ a: 1 }, undefined)).toEqual({ a: 1 });
  });
});
