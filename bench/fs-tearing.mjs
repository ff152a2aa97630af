// `node bench/fs-tearing.mjs`: 200 KB writes to one session race raw reads of its file and HTTP reads of the
// session, on our fs store (write to a temporary file, then rename) and on unstorage's plain fs driver, and
// prints how many reads saw a torn record. Measured, not asserted: tearing of the plain driver depends on
// timing. The guarantee for ours is asserted in projects/session/test/reliability/fs-atomic.spec.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, createRouter, defineEventHandler, readBody, toNodeListener } from 'h3';
import { createStorage } from 'unstorage';
import fsDriver from 'unstorage/drivers/fs';
import { createUnstorageStore, defineSessionMiddleware, getSession, updateSession } from '../dist/session/index.js';
import { ensureOursBuild } from './lib/ensure-build.mjs';

const BLOB = 200_000;
const WRITES = 40;
const WRITERS = 4;
const RAW_READERS = 3;
const HTTP_READERS = 2;
const MAX_READS_PER_READER = 3000;
const SECRET = 'fs-tearing-secret-0123456789-abcdefghij';

const payload = (i) => ({ i, blob: `w${i}:` + String.fromCharCode(97 + (i % 26)).repeat(BLOB) });
const isComplete = (data) => typeof data?.i === 'number' && data.blob === payload(data.i).blob;

function parse(raw) {
  try {
    if (raw instanceof Uint8Array) return JSON.parse(new TextDecoder().decode(raw));
    return typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    return null;
  }
}

async function serve(store) {
  const app = createApp();
  app.use(defineSessionMiddleware({ store, secret: SECRET }));
  const router = createRouter()
    .get(
      '/session',
      defineEventHandler((event) => ({ data: getSession(event) })),
    )
    .post(
      '/set',
      defineEventHandler(async (event) => {
        const changes = await readBody(event);
        await updateSession(event, () => changes);
        return { ok: true };
      }),
    );
  app.use(router);
  const server = createServer(toNodeListener(app));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

async function hammer(store) {
  const server = await serve(store);
  try {
    const post = (body, cookie) =>
      fetch(`${server.url}/set`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
        body: JSON.stringify(body),
      });
    const first = await post(payload(0));
    await first.text();
    const cookie = first.headers.getSetCookie()[0].split(';')[0];
    const [key] = (await store.getKeys('sess')).filter((k) => !k.startsWith('sess:user:'));
    const result = { writes: {}, rawReads: 0, rawTorn: 0, httpReads: 0, httpBad: 0, versions: new Set() };
    let writing = true;
    let next = 1;
    const writer = async () => {
      while (next <= WRITES) {
        const response = await post(payload(next++), cookie);
        await response.arrayBuffer();
        result.writes[response.status] = (result.writes[response.status] ?? 0) + 1;
      }
    };
    const rawReader = async () => {
      for (let n = 0; n < MAX_READS_PER_READER && writing; n++) {
        const record = parse(await store.getItemRaw(key));
        result.rawReads++;
        if (record && isComplete(record.data)) result.versions.add(record.version);
        else result.rawTorn++;
      }
    };
    const httpReader = async () => {
      for (let n = 0; n < MAX_READS_PER_READER && writing; n++) {
        const response = await fetch(`${server.url}/session`, { headers: { cookie } });
        const body = response.status === 200 ? await response.json() : undefined;
        result.httpReads++;
        if (!isComplete(body?.data)) result.httpBad++;
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

const build = ensureOursBuild();
if (!build.ok) throw new Error(build.note);
const bases = [];
const tempBase = () => {
  const base = mkdtempSync(join(tmpdir(), 'bench-fs-tearing-'));
  bases.push(base);
  return base;
};
try {
  for (const [name, store] of [
    ['ours (createUnstorageStore fs)', await createUnstorageStore({ type: 'fs', options: { base: tempBase() } })],
    ["unstorage's plain fs driver", createStorage({ driver: fsDriver({ base: tempBase() }) })],
  ]) {
    const r = await hammer(store);
    console.log(
      `[fs-tearing] ${name}: writes ${JSON.stringify(r.writes)}, raw reads ${r.rawReads} (${r.rawTorn} torn), ` +
        `HTTP reads ${r.httpReads} (${r.httpBad} wrong), ${r.versions.size} versions seen`,
    );
    await store.dispose();
  }
} finally {
  for (const base of bases) rmSync(base, { recursive: true, force: true });
}
