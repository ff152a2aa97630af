// The fs store never lets a reader see a half-written record: 200 KB writes to one session race raw
// reads of its file and HTTP reads of the session. The same hammer on unstorage's plain fs driver, measured
// for comparison, is bench/fs-tearing.mjs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from 'unstorage';
import { afterAll, describe, expect, it } from 'vitest';
import { createUnstorageStore } from '../../src/index';
import { parseRecord } from '../../src/core/record';
import { Client, serve } from '../support/http';
import { createSessionApp } from '../support/session-app';

const BLOB = 200_000;
const WRITES = 40;
const WRITERS = 4;
const RAW_READERS = 3;
const HTTP_READERS = 2;
/** Bounds every reader loop whatever the writers do. */
const MAX_READS_PER_READER = 3000;

/** Data whose every part says which write it came from, so a mix of two writes is caught too. */
const payload = (i: number) => ({ i, blob: `w${i}:` + String.fromCharCode(97 + (i % 26)).repeat(BLOB) });
function isComplete(data: Record<string, unknown> | undefined): boolean {
  if (!data || typeof data['i'] !== 'number' || typeof data['blob'] !== 'string') return false;
  const { i, blob } = data as { i: number; blob: string };
  const expected = payload(i).blob;
  return blob.length === expected.length && blob === expected;
}

interface HammerResult {
  writes: Record<number, number>;
  rawReads: number;
  rawTorn: number;
  httpReads: number;
  httpBad: number;
  versions: Set<number>;
  examples: string[];
}

/** Writers through the library over HTTP, raw readers on the store, HTTP readers, all at once. */
async function hammer(store: Storage<any>): Promise<HammerResult> {
  const server = await serve(createSessionApp(store).app);
  try {
    const owner = new Client(server.url);
    await owner.json('/set', { body: payload(0) });
    const [key] = await store.getKeys('sess');
    const result: HammerResult = { writes: {}, rawReads: 0, rawTorn: 0, httpReads: 0, httpBad: 0, versions: new Set(), examples: [] };
    let writing = true;

    let next = 1;
    const writer = async () => {
      while (next <= WRITES) {
        const i = next++;
        const response = await owner.clone().request('/set', { body: payload(i) });
        await response.arrayBuffer();
        result.writes[response.status] = (result.writes[response.status] ?? 0) + 1;
      }
    };
    const rawReader = async () => {
      for (let n = 0; n < MAX_READS_PER_READER && writing; n++) {
        const raw = await store.getItemRaw(key);
        result.rawReads++;
        const record = parseRecord(raw);
        if (record && isComplete(record.data)) result.versions.add(record.version);
        else {
          result.rawTorn++;
          if (result.examples.length < 3) result.examples.push(`raw read of ${raw == null ? 'nothing' : `${String(raw).length} bytes`}`);
        }
      }
    };
    const httpReader = async () => {
      for (let n = 0; n < MAX_READS_PER_READER && writing; n++) {
        const response = await fetch(`${server.url}/session`, { headers: { cookie: owner.cookieHeader } });
        const body = response.status === 200 ? ((await response.json()) as { data: Record<string, unknown> }) : undefined;
        result.httpReads++;
        if (!isComplete(body?.data)) {
          result.httpBad++;
          if (result.examples.length < 6)
            result.examples.push(`HTTP ${response.status} with data keys ${JSON.stringify(Object.keys(body?.data ?? {}))}`);
        }
      }
    };

    const readers = [...Array.from({ length: RAW_READERS }, rawReader), ...Array.from({ length: HTTP_READERS }, httpReader)];
    await Promise.all(Array.from({ length: WRITERS }, writer));
    writing = false;
    await Promise.all(readers);
    return result;
  } finally {
    await server.close();
  }
}

const summary = (r: HammerResult) =>
  `writes ${JSON.stringify(r.writes)}, raw reads ${r.rawReads} (${r.rawTorn} torn), ` +
  `HTTP reads ${r.httpReads} (${r.httpBad} wrong), ${r.versions.size} versions seen`;

describe('fs store under concurrent 200 KB writes and reads of one session', () => {
  const bases: string[] = [];
  const tempBase = () => {
    const base = mkdtempSync(join(tmpdir(), 'session-fs-atomic-'));
    bases.push(base);
    return base;
  };
  afterAll(() => {
    for (const base of bases) rmSync(base, { recursive: true, force: true });
  });

  it('createUnstorageStore({ type: "fs" }): every raw and HTTP read sees a complete record', async () => {
    const store = await createUnstorageStore({ type: 'fs', options: { base: tempBase() } });
    const result = await hammer(store);
    console.info(`[fs-atomic] ours: ${summary(result)}`);
    expect(result.writes).toEqual({ 200: WRITES });
    expect(result.examples).toEqual([]);
    expect(result.rawTorn).toBe(0);
    expect(result.httpBad).toBe(0);
    // The reads really raced the writes: they saw many different versions, not one before and one after.
    expect(result.rawReads).toBeGreaterThan(WRITES);
    expect(result.versions.size).toBeGreaterThan(WRITES / 4);
    // No temporary file is ever listed as a key.
    expect(await store.getKeys('sess')).toHaveLength(1);
  });
});
