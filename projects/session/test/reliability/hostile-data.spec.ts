// Records that are corrupt, of the wrong shape or built to pollute prototypes, written straight into the
// store under a real session's key: the request gets a fresh session or sanitized data, never a 500, and no
// prototype is ever touched. On memory, fs and Redis.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUnstorageStore } from '../../src/index';
import { recordKeys } from '../support/describe-session-store';
import { fsStore, redisStore, type StoreUnderTest } from '../support/stores';
import { Client, serve, type Served } from '../support/http';
import { COOKIE, createSessionApp } from '../support/session-app';

const HOUR = 3_600_000;
const now = Date.now();
const times = { createdAt: now, updatedAt: now, expiresAt: now + HOUR };
/** A record as serializeRecord() writes it, version first, with `extra` fields and `data` spliced in. */
const record = (data: string, extra = '') =>
  `{"version":1,"createdAt":${now},"updatedAt":${now},"expiresAt":${now + HOUR}${extra},"data":${data}}`;
const json = (value: unknown) => JSON.stringify(value);

/** Stored text that is not a usable record: the request must start a fresh session. */
const UNUSABLE: Record<string, string> = {
  'not JSON': 'not json at all',
  'truncated JSON': record('{"a":1}').slice(0, 40),
  'empty value': '',
  'JSON null': 'null',
  'JSON array': '[{"version":1}]',
  'JSON string': '"{\\"version\\":1}"',
  'JSON number': '42',
  'empty object': '{}',
  'binary garbage': Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x22, 0x80]).toString('latin1'),
  'missing version': json({ ...times, data: { a: 1 } }),
  'version as string': json({ version: '1', ...times, data: { a: 1 } }),
  'version 0': json({ version: 0, ...times, data: { a: 1 } }),
  'negative version': json({ version: -1, ...times, data: { a: 1 } }),
  'fractional version': json({ version: 1.5, ...times, data: { a: 1 } }),
  'unsafe version': `{"version":${2 ** 60},"createdAt":${now},"updatedAt":${now},"expiresAt":${now + HOUR},"data":{"a":1}}`,
  'data an array': record('[1,2]'),
  'data null': record('null'),
  'data a string': record('"a=1"'),
  'data missing': json({ version: 1, ...times }),
  'expiresAt a string': json({ version: 1, ...times, expiresAt: 'tomorrow', data: { a: 1 } }),
  'createdAt missing': json({ version: 1, updatedAt: now, expiresAt: now + HOUR, data: { a: 1 } }),
  'userId a number': record('{"a":1}', ',"userId":7'),
  'absoluteExpiresAt a string': record('{"a":1}', ',"absoluteExpiresAt":"never"'),
  'expired record': json({ version: 1, createdAt: now - 2 * HOUR, updatedAt: now - 2 * HOUR, expiresAt: now - HOUR, data: { a: 1 } }),
};

/** Stored text that is a usable record once sanitized: the request must see exactly `expected`. */
const SANITIZED: Record<string, { stored: string; expected: Record<string, unknown> }> = {
  '__proto__ in data': { stored: record('{"__proto__":{"polluted":"yes"},"a":1}'), expected: { a: 1 } },
  'constructor.prototype in data': { stored: record('{"constructor":{"prototype":{"polluted":"yes"}},"a":1}'), expected: { a: 1 } },
  'prototype in data': { stored: record('{"prototype":{"polluted":"yes"},"a":1}'), expected: { a: 1 } },
  '__proto__ deep in data': { stored: record('{"a":{"b":{"__proto__":{"polluted":"yes"},"c":1}}}'), expected: { a: { b: { c: 1 } } } },
  '__proto__ inside an array': { stored: record('{"list":[{"__proto__":{"polluted":"yes"}},2]}'), expected: { list: [{}, 2] } },
  'only a __proto__ key in data': { stored: record('{"__proto__":{"polluted":"yes"}}'), expected: {} },
  '__proto__ at the top of the record': { stored: record('{"a":1}', ',"__proto__":{"polluted":"yes"}'), expected: { a: 1 } },
  'data before version (another writer)': { stored: json({ data: { a: 1 }, ...times, version: 1 }), expected: { a: 1 } },
  'pretty-printed record': { stored: JSON.stringify({ version: 1, ...times, data: { a: 1 } }, null, 2), expected: { a: 1 } },
  'version written 1.0': { stored: record('{"a":1}').replace('"version":1,', '"version":1.0,'), expected: { a: 1 } },
  'constructor at the top of the record': {
    stored: record('{"a":1}', ',"constructor":{"prototype":{"polluted":"yes"}}'),
    expected: { a: 1 },
  },
};

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();
function expectPrototypesUntouched() {
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(([] as unknown as Record<string, unknown>)['polluted']).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
  expect(Object.getOwnPropertyNames(Array.prototype)).not.toContain('polluted');
}

function describeHostileData(name: string, create: () => Promise<StoreUnderTest>, extra?: (ctx: () => Context) => void) {
  describe(`hostile records: ${name}`, () => {
    const ctx = {} as Context;
    beforeAll(async () => {
      ctx.underTest = await create();
      ctx.server = await serve(createSessionApp(ctx.underTest.store).app);
    });
    afterAll(async () => {
      await ctx.server?.close();
      await ctx.underTest?.dispose();
    });
    beforeEach(() => ctx.underTest.store.clear());
    afterEach(() => expectPrototypesUntouched());

    for (const [label, stored] of Object.entries(UNUSABLE)) {
      it(`starts a fresh session over a record with ${label}`, async () => {
        const { client, key } = await plant(ctx, stored);
        const planted = client.cookies.get(COOKIE);
        const read = await client.request('/session');
        expect(read.status).toBe(200);
        expect(await read.json()).toEqual({ data: {}, user: null });
        expect(read.headers.getSetCookie()).toEqual([]);
        const write = await client.request('/set', { body: { b: 2 } });
        expect(write.status).toBe(200);
        expect(client.cookies.get(COOKIE)).not.toBe(planted);
        expect(await client.json('/session')).toEqual({ data: { b: 2 }, user: null });
        // The write went to a new key; the planted one was left alone (or removed, when expired).
        expect((await recordKeys(ctx.underTest.store)).filter((k) => k !== key)).toHaveLength(1);
      });
    }

    for (const [label, { stored, expected }] of Object.entries(SANITIZED)) {
      it(`serves sanitized data over a record with ${label}, and writes it back clean`, async () => {
        const { client, key } = await plant(ctx, stored);
        const planted = client.cookies.get(COOKIE);
        const read = await client.request('/session');
        expect(read.status).toBe(200);
        const body = await read.text();
        expect(JSON.parse(body)).toEqual({ data: expected, user: null });
        expect(body).not.toContain('polluted');
        const write = await client.request('/set', { body: { b: 2 } });
        expect(write.status).toBe(200);
        expect(client.cookies.get(COOKIE)).toBe(planted);
        expect(await client.json('/session')).toEqual({ data: { ...expected, b: 2 }, user: null });
        const rewritten = String(await ctx.underTest.store.getItemRaw(key));
        expect(rewritten).not.toContain('polluted');
        expect(JSON.parse(rewritten)).toMatchObject({ version: 2, data: { ...expected, b: 2 } });
      });
    }

    extra?.(() => ctx);
  });
}

interface Context {
  underTest: StoreUnderTest;
  server: Served;
}

/** A real session, whose record is then replaced by `stored`. */
async function plant(ctx: Context, stored: unknown): Promise<{ client: Client; key: string }> {
  const client = new Client(ctx.server.url);
  await client.json('/set', { body: { original: true } });
  const keys = await recordKeys(ctx.underTest.store);
  expect(keys).toHaveLength(1);
  await ctx.underTest.store.setItemRaw(keys[0], stored);
  return { client, key: keys[0] };
}

describeHostileData(
  'memory',
  async () => {
    const store = await createUnstorageStore({ type: 'memory' });
    return { store, dispose: () => store.dispose() };
  },
  (ctx) => {
    // The memory driver hands back whatever was stored: objects take parseRecord's copy-and-sanitize path.
    it('sanitizes a stored object that carries an own __proto__ key', async () => {
      const polluting = JSON.parse(
        record('{"__proto__":{"polluted":"yes"},"nested":{"constructor":{"prototype":{"polluted":"yes"}}},"a":1}'),
      );
      expect(Object.keys(polluting.data)).toContain('__proto__');
      const { client } = await plant(ctx(), polluting);
      expect(await client.json('/session')).toEqual({ data: { nested: {}, a: 1 }, user: null });
      expect((await client.request('/set', { body: { b: 2 } })).status).toBe(200);
      expect(await client.json('/session')).toEqual({ data: { nested: {}, a: 1, b: 2 }, user: null });
    });

    it('starts fresh over stored objects that are not plain records', async () => {
      for (const stored of [
        new Date(),
        [1, 2],
        new Map([['version', 1]]),
        { ...JSON.parse(record('{}')), data: new Date() },
        Object.create({ version: 1, ...times, data: {} }),
      ]) {
        await ctx().underTest.store.clear();
        const { client } = await plant(ctx(), stored);
        const read = await client.request('/session');
        expect(read.status).toBe(200);
        expect(await read.json()).toEqual({ data: {}, user: null });
      }
    });
  },
);

describeHostileData('fs', fsStore);

describeHostileData('redis', redisStore);
