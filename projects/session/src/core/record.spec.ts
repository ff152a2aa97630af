import { describe, expect, it } from 'vitest';
import { isExpired, parseRecord, recordVersion, serializeRecord, type SessionRecord } from './record';

const record: SessionRecord = {
  version: 3,
  data: { a: 1, nested: { b: [1, 2] } },
  createdAt: 1,
  updatedAt: 2,
  expiresAt: 10,
  userId: 'u1',
  label: 'laptop',
};

describe('session records', () => {
  it('serialize with version first and parse back', () => {
    const raw = serializeRecord(record);
    expect(raw.startsWith('{"version":3,')).toBe(true);
    expect(parseRecord(raw)).toEqual(record);
    expect(parseRecord(new TextEncoder().encode(raw))).toEqual(record);
    // unstorage's http driver reads raw values as an ArrayBuffer.
    expect(parseRecord(new TextEncoder().encode(raw).buffer)).toEqual(record);
    expect(parseRecord(JSON.parse(raw))).toEqual(record);
  });

  it.each([
    ['a plain record', { ...record, userId: undefined }],
    ['a bound one with a quote in its user ID', { ...record, userId: 'u"1\\' }],
    ['a labelled one', { ...record, label: 'Firefox "on" Linux' }],
    ['one with an absolute expiry and fractional times', { ...record, absoluteExpiresAt: 20.5, createdAt: 1e21 }],
    ['one with a time that is not finite', { ...record, expiresAt: Infinity }],
    ['one not remembered', { ...record, label: 'Phone', persistent: false }],
    ['one with its sign-in time', { ...record, authAt: 1_764_000_000_123 }],
    ['one with a sign-in time that is not finite', { ...record, authAt: Number.NaN }],
    ['one not remembered with its sign-in time', { ...record, persistent: false, authAt: 1_764_000_000_123 }],
  ])('serialize %s as JSON.stringify orders it', (_, value) => {
    const { version, createdAt, updatedAt, expiresAt, absoluteExpiresAt, userId, label, persistent, authAt, data } = value as SessionRecord;
    expect(serializeRecord(value as SessionRecord)).toBe(
      JSON.stringify({ version, createdAt, updatedAt, expiresAt, absoluteExpiresAt, userId, label, persistent, authAt, data }),
    );
  });

  it('keeps "not remembered" through a round trip, and refuses any other value of persistent', () => {
    const notRemembered = { ...record, persistent: false as const };
    expect(parseRecord(serializeRecord(notRemembered))).toEqual(notRemembered);
    expect(parseRecord(JSON.stringify({ ...record, persistent: true }))).toBeNull();
  });

  it('keep the sign-in time through serialize and parse', () => {
    const signedIn = { ...record, authAt: 1_764_000_000_123 };
    expect(parseRecord(serializeRecord(signedIn))).toEqual(signedIn);
  });

  it.each([
    ['corrupt JSON', '{"version":1,'],
    ['a string', '"hello"'],
    ['an array', '[1,2]'],
    ['no version', JSON.stringify({ ...record, version: undefined })],
    ['version 0', JSON.stringify({ ...record, version: 0 })],
    ['fractional version', JSON.stringify({ ...record, version: 1.5 })],
    ['expiry as string', JSON.stringify({ ...record, expiresAt: '10' })],
    ['data as array', JSON.stringify({ ...record, data: [1] })],
    ['data null', JSON.stringify({ ...record, data: null })],
    ['userId as number', JSON.stringify({ ...record, userId: 7 })],
    ['authAt as string', JSON.stringify({ ...record, authAt: '7' })],
    ['null', null],
    ['a number', 42],
  ])('treat %s as missing', (_, raw) => {
    expect(parseRecord(raw)).toBeNull();
  });

  it('drop __proto__, constructor and prototype keys at every depth, without polluting prototypes', () => {
    const hostile =
      '{"version":1,"createdAt":1,"updatedAt":1,"expiresAt":9,"data":{"__proto__":{"polluted":true},' +
      '"constructor":{"prototype":{"polluted":true}},"ok":1,"deep":{"__proto__":{"polluted":true},"prototype":1,"x":2}}}';
    const parsed = parseRecord(hostile)!;
    expect(parsed.data).toEqual({ ok: 1, deep: { x: 2 } });
    expect(Object.keys(parsed.data)).toEqual(['ok', 'deep']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const fromObject = parseRecord({ ...JSON.parse(hostile), data: JSON.parse('{"__proto__":{"polluted":true},"y":1}') })!;
    expect(fromObject.data).toEqual({ y: 1 });
    expect(Object.getPrototypeOf(fromObject.data)).toBe(Object.prototype);
  });

  it('expire at the idle or the absolute deadline, whichever comes first', () => {
    expect(isExpired(record, 9)).toBe(false);
    expect(isExpired(record, 10)).toBe(true);
    expect(isExpired({ ...record, absoluteExpiresAt: 5 }, 5)).toBe(true);
    expect(isExpired({ ...record, absoluteExpiresAt: 5 }, 4)).toBe(false);
  });
});

describe('serializeRecord', () => {
  it('prints every number exactly as JSON.stringify does (timestamps take a faster path)', () => {
    const samples = [
      0,
      1,
      999_999_999,
      1e9,
      1e9 + 1,
      1_763_946_000_123,
      1_763_946_000_000,
      999_999_999_999_999,
      1e15,
      2 ** 53 - 1,
      1.5,
      -3,
    ];
    for (let i = 0; i < 2000; i++) samples.push(Math.floor(Math.random() * 1e15), Date.now() + i * 7919);
    for (const n of samples) {
      const record = { version: 1, createdAt: n, updatedAt: n, expiresAt: n, absoluteExpiresAt: n, data: { n } };
      expect(serializeRecord(record), String(n)).toBe(JSON.stringify(record));
    }
  });
});

describe('recordVersion', () => {
  const rest = '"createdAt":1,"updatedAt":1,"expiresAt":2,"data":{}}';
  it('reads the version prefix without parsing, and falls back to parsing anything else', () => {
    expect(recordVersion(`{"version":7,${rest}`)).toBe(7);
    expect(recordVersion(`{"version":123456789012345,${rest}`)).toBe(123456789012345);
    expect(recordVersion(`{"version":1234567890123456,${rest}`)).toBe(1234567890123456);
    expect(recordVersion(`{"createdAt":1,"updatedAt":1,"expiresAt":2,"data":{},"version":9}`)).toBe(9);
    expect(recordVersion({ version: 4, createdAt: 1, updatedAt: 1, expiresAt: 2, data: {} })).toBe(4);
  });
  it('gives null for what is not a record', () => {
    for (const raw of ['{"version":,', '{"version":x1,', '{"version":12}', '{"version":-1,"data":{}}', 'garbage', '', null, 42]) {
      expect(recordVersion(raw), String(raw)).toBeNull();
    }
  });
});

describe('hidden forbidden keys', () => {
  it('catches __proto__ spelled with \\u escapes', () => {
    const raw = '{"version":1,"createdAt":1,"updatedAt":1,"expiresAt":9,"data":{"\\u005f_proto__":{"polluted":true},"ok":1}}';
    expect(JSON.parse(raw).data).toHaveProperty('__proto__');
    const parsed = parseRecord(raw)!;
    expect(Object.keys(parsed.data)).toEqual(['ok']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
