// Thousands of generated hostile Cookie headers against a live server, on memory and on Redis: no 5xx, no
// presented session ID ever adopted, no store growth from requests that only read.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCookie } from '../../src/index';
import { memoryStore, redisStore, type StoreUnderTest } from '../support/stores';
import { Client, parseSetCookie, serve, type Served } from '../support/http';
import { COOKIE, createSessionApp, SECRET } from '../support/session-app';

const BATCH = 50;
const READ_BATCHES = 200; // 10,000 read-only requests per store
const WRITE_BATCHES = 40; // 2,000 writing requests per store
// About 8 s per store alone on 2 cores; the timeouts leave room for a loaded CI machine.
/** Node refuses request heads over 16 KB; fetch adds ~250 bytes of its own headers. */
const MAX_HEADER = 15_000;

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const anyId = fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 32, maxLength: 32 });
/** Bytes a client can put in a header and Node's parser lets through to the app (no CTLs but HTAB). */
const headerBytes = (maxLength: number) =>
  fc.uint8Array({ maxLength }).map((bytes) => Buffer.from(bytes.filter((b) => b === 9 || (b >= 0x20 && b !== 0x7f))).toString('latin1'));
/** A header carries bytes: unicode goes over the wire as UTF-8, as browsers and curl send it. */
const asBytes = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

/** What one hostile cookie value is made of; built into a string by {@link cookieValue}. */
type Value =
  | { kind: 'real' }
  | { kind: 'bytes'; text: string }
  | { kind: 'truncated'; at: number }
  | { kind: 'mutated'; edits: { at: number; char: string }[] }
  | { kind: 'wrong-secret'; id: string | null; secret: string }
  | { kind: 'huge'; length: number; char: string; signedShape: boolean }
  | { kind: 'unicode'; text: string }
  | { kind: 'signed-random'; id: string }
  | { kind: 'signed-odd'; id: string };

const small: fc.Arbitrary<Value> = fc.oneof(
  // The victim's own cookie, next to an attacker's (cookie tossing): the first one of the name counts.
  fc.constant({ kind: 'real' as const }),
  headerBytes(200).map((text) => ({ kind: 'bytes' as const, text })),
  fc.nat().map((at) => ({ kind: 'truncated' as const, at })),
  fc
    .array(fc.record({ at: fc.nat(), char: fc.constantFrom(...ID_CHARS, '.', ':', '%', '=', ';', ' ') }), { minLength: 1, maxLength: 4 })
    .map((edits) => ({
      kind: 'mutated' as const,
      edits,
    })),
  fc
    .record({ id: fc.option(anyId), secret: fc.string({ minLength: 1, maxLength: 64 }).filter((s) => s !== SECRET) })
    .map((r) => ({ kind: 'wrong-secret' as const, ...r })),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map((text) => ({ kind: 'unicode' as const, text })),
  anyId.map((id) => ({ kind: 'signed-random' as const, id })),
  fc.string({ maxLength: 60 }).map((id) => ({ kind: 'signed-odd' as const, id })),
);
/** Huge values cost the most time per request: one header in about fifteen carries one. */
const huge: fc.Arbitrary<Value> = fc
  .record({
    length: fc.integer({ min: 1000, max: MAX_HEADER - 100 }),
    char: fc.constantFrom('A', '%', '.', 's', ':', '\u00ff'),
    signedShape: fc.boolean(),
  })
  .map((r) => ({ kind: 'huge' as const, ...r }));
const value = fc.oneof({ weight: 7, arbitrary: small }, { weight: 1, arbitrary: huge });

/** A whole Cookie header: one value, the same name many times, or no structure at all. */
type Header =
  | { kind: 'one'; value: Value; encode: boolean; neighbours: string }
  | { kind: 'many'; values: Value[]; encode: boolean }
  | { kind: 'raw'; text: string };

const header: fc.Arbitrary<Header> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({ value, encode: fc.boolean(), neighbours: fc.constantFrom('', 'a=1', 'theme=dark; lang=en', `${COOKIE}x=1`) })
      .map((r) => ({ kind: 'one' as const, ...r })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ values: fc.array(small, { minLength: 2, maxLength: 40 }), encode: fc.boolean() })
      .map((r) => ({ kind: 'many' as const, ...r })),
  },
  { weight: 1, arbitrary: headerBytes(1000).map((text) => ({ kind: 'raw' as const, text })) },
);

/** Headers whose cookie is a correctly signed, unknown ID: a write must still get a new one. */
const signedUnknown: fc.Arbitrary<Header> = anyId.map((id) => ({
  kind: 'one',
  value: { kind: 'signed-random', id },
  encode: true,
  neighbours: '',
}));

async function cookieValue(v: Value, real: string): Promise<string> {
  switch (v.kind) {
    case 'real':
      return real;
    case 'bytes':
      return v.text;
    case 'truncated':
      return real.slice(0, v.at % real.length);
    case 'mutated': {
      const chars = [...real];
      for (const { at, char } of v.edits) chars[at % chars.length] = char;
      const mutated = chars.join('');
      return mutated === real ? `${real}x` : mutated;
    }
    case 'wrong-secret':
      return signCookie(v.id ?? real.slice(2, real.lastIndexOf('.')), v.secret);
    case 'huge': {
      const filler = v.char.repeat(v.length);
      return v.signedShape ? `s:${filler}.${real.slice(real.lastIndexOf('.') + 1)}` : filler;
    }
    case 'unicode':
      return v.text;
    case 'signed-random':
      return signCookie(v.id, SECRET);
    case 'signed-odd':
      return signCookie(v.id, SECRET);
  }
}

async function buildHeader(h: Header, real: string): Promise<string> {
  const pair = async (v: Value, encode: boolean) =>
    `${COOKIE}=${encode ? encodeURIComponent(await cookieValue(v, real)) : asBytes(await cookieValue(v, real))}`;
  let text: string;
  if (h.kind === 'raw') text = h.text;
  else if (h.kind === 'one') text = [h.neighbours, await pair(h.value, h.encode)].filter(Boolean).join('; ');
  else text = (await Promise.all(h.values.map((v) => pair(v, h.encode)))).join('; ');
  return text.slice(0, MAX_HEADER);
}

/** Every way a session ID can appear in what the client sent. */
function presented(cookieHeader: string): string {
  let decoded = cookieHeader;
  try {
    decoded = decodeURIComponent(cookieHeader);
  } catch {
    // keep the raw text: the check below looks at both
  }
  return `${cookieHeader}\n${decoded}\n${Buffer.from(cookieHeader, 'latin1').toString('utf8')}`;
}

const idOf = (signed: string) => /^s:([A-Za-z0-9_-]{32})\.[A-Za-z0-9_-]{43}$/.exec(signed)?.[1];

function describeHostileCookies(name: string, create: () => Promise<StoreUnderTest>) {
  describe(`hostile Cookie headers: ${name}`, () => {
    let underTest: StoreUnderTest;
    let server: Served;
    let real: string;
    let realId: string;
    const keyCount = async () => (await underTest.store.getKeys('')).length;

    beforeAll(async () => {
      underTest = await create();
      await underTest.store.clear();
      server = await serve(createSessionApp(underTest.store).app);
      const owner = new Client(server.url);
      await owner.json('/set', { body: { secret: 'real' } });
      real = owner.cookies.get(COOKIE)!;
      realId = idOf(real)!;
      expect(realId).toBeDefined();
    });
    afterAll(async () => {
      await server?.close();
      await underTest?.dispose();
    });

    const send = async (cookie: string, write: boolean) => {
      const response = await fetch(`${server.url}${write ? '/inc' : '/session'}`, { method: write ? 'POST' : 'GET', headers: { cookie } });
      const text = await response.text();
      return { status: response.status, text, setCookies: response.headers.getSetCookie().map(parseSetCookie) };
    };

    it(`answers ${READ_BATCHES * BATCH} read-only requests with 200, no cookie and no new store key`, async () => {
      const before = await keyCount();
      let sent = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(header, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
          const cookies = await Promise.all(batch.map((h) => buildHeader(h, real)));
          const answers = await Promise.all(cookies.map((cookie) => send(cookie, false)));
          sent += answers.length;
          answers.forEach((answer, i) => {
            const context = `Cookie: ${JSON.stringify(cookies[i]).slice(0, 300)}`;
            expect(answer.status, context).toBe(200);
            expect(answer.setCookies, context).toEqual([]);
            const { data } = JSON.parse(answer.text);
            // The real session shows only when its cookie was sent (and came first); it is never written here.
            if (presented(cookies[i]).includes(real)) expect([{}, { secret: 'real' }], context).toContainEqual(data);
            else expect(data, context).toEqual({});
          });
        }),
        { numRuns: READ_BATCHES },
      );
      expect(sent).toBeGreaterThanOrEqual(READ_BATCHES * BATCH);
      expect(await keyCount()).toBe(before);
    }, 90_000);

    const writes = WRITE_BATCHES * BATCH;
    it(`gives every writing request with a foreign cookie a new ID (${writes} writes, a third correctly signed unknown IDs)`, async () => {
      const before = await keyCount();
      const created = new Set<string>();
      let realWrites = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof({ weight: 2, arbitrary: header }, { weight: 1, arbitrary: signedUnknown }), {
            minLength: BATCH,
            maxLength: BATCH,
          }),
          async (batch) => {
            const cookies = await Promise.all(batch.map((h) => buildHeader(h, real)));
            const answers = await Promise.all(cookies.map((cookie) => send(cookie, true)));
            answers.forEach((answer, i) => {
              const context = `Cookie: ${JSON.stringify(cookies[i]).slice(0, 300)}`;
              expect(answer.status, context).toBe(200);
              const set = answer.setCookies.filter((c) => c.name === COOKIE);
              expect(set.length, context).toBeLessThanOrEqual(1);
              // A new session always gets its cookie; the real one is re-sent at most once a minute (cookieRefreshMs).
              const id = set.length === 1 ? idOf(set[0].value) : JSON.parse(answer.text).secret === 'real' ? realId : undefined;
              expect(id, context).toBeDefined();
              if (id === realId) {
                // The write went to the real session: only possible when the real cookie was sent.
                expect(presented(cookies[i]), context).toContain(real);
                realWrites++;
                return;
              }
              expect(presented(cookies[i]), context).not.toContain(id);
              expect(created.has(id!), context).toBe(false);
              created.add(id!);
            });
          },
        ),
        { numRuns: WRITE_BATCHES },
      );
      expect(created.size + realWrites).toBe(WRITE_BATCHES * BATCH);
      expect(created.size).toBeGreaterThan(WRITE_BATCHES * BATCH * 0.5);
      // Exactly one record per new ID, nothing else.
      expect(await keyCount()).toBe(before + created.size);
    }, 60_000);
  });
}

describeHostileCookies('memory', memoryStore);

describeHostileCookies('redis', redisStore);
