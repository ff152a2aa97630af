// examples/worker-app: the h3 v2 app as a Cloudflare Worker, sessions on KV, built by scripts/consumer-apps.mjs with
// wrangler (one file each, with and without nodejs_compat) and run by miniflare on workerd, the Workers runtime.
// Miniflare and wrangler come from tools/runtimes (pinned; `npm ci` there).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { AppServer } from './support/app-server';
import { describeSessionApp } from './support/describe-session-app';

const appDir = join(import.meta.dirname, '../worker-app');
const runtimes = createRequire(join(import.meta.dirname, '../../tools/runtimes/package.json'));

/** What this driver uses of miniflare (installed in tools/runtimes, which the workspace's type-check does not need). */
interface Miniflare {
  ready: Promise<URL>;
  getKVNamespace(name: string): Promise<{ list(): Promise<{ keys: { name: string }[] }> }>;
  dispose(): Promise<void>;
}

/** Runs a built Worker on workerd, with a KV namespace SESSIONS and the given plain-text bindings. */
async function startWorker(bundle: string, variant: string, bindings: Record<string, string>) {
  const { Miniflare } = (await import(runtimes.resolve('miniflare'))) as { Miniflare: new (options: object) => Miniflare };
  let output = '';
  const mf = new Miniflare({
    // Listed, not scanned: miniflare refuses to scan a bundle with a computed import() in it (unstorage 2's).
    modules: [{ type: 'ESModule', path: 'worker.js', contents: readFileSync(bundle, 'utf8') }],
    compatibilityDate: '2026-07-30',
    compatibilityFlags: variant === 'nodejs-compat' ? ['nodejs_compat'] : [],
    kvNamespaces: ['SESSIONS'],
    bindings,
    host: '127.0.0.1',
    port: 0,
    handleRuntimeStdio(stdout: NodeJS.ReadableStream, stderr: NodeJS.ReadableStream) {
      stdout.on('data', (chunk) => (output += chunk));
      stderr.on('data', (chunk) => (output += chunk));
    },
  });
  const server: AppServer = { url: (await mf.ready).origin, output: () => output, stop: () => mf.dispose() };
  return { mf, server };
}

it('examples/worker-app type-checks against the packed package (Workers types, no Node types)', () => {
  const tsc = join(import.meta.dirname, '../../node_modules/.bin/tsc');
  execFileSync(tsc, ['-p', join(appDir, 'tsconfig.json')], { stdio: 'pipe' });
});

for (const variant of ['plain', 'nodejs-compat']) {
  const bundle = join(appDir, 'dist', variant, 'worker.js');
  let kvKeys: () => Promise<string[]>;

  it(`examples/worker-app (${variant}) is built into one file, with no ioredis and no node:fs`, () => {
    expect(existsSync(bundle), `${bundle} is missing: run node scripts/consumer-apps.mjs worker-app`).toBe(true);
    const text = readFileSync(bundle, 'utf8');
    expect(text).toMatch(/cloudflare-kv-binding/);
    expect(text).not.toMatch(/ioredis|from\s*["']node:fs["']|import\(["']node:fs["']\)/);
  });

  it(`examples/worker-app (${variant}) without SESSION_SECRET answers 500 and logs how to pass it on a Worker`, async () => {
    const { server } = await startWorker(bundle, variant, {});
    try {
      expect((await fetch(`${server.url}/api/visits`, { method: 'POST' })).status).toBe(500);
      await expect.poll(() => server.output()).toContain("secret: () => env.SESSION_SECRET, with import { env } from 'cloudflare:workers'");
    } finally {
      await server.stop();
    }
  });

  // wrangler writes NODE_ENV=production into a deploy bundle (a Worker has no environment of its own): the
  // production checks apply.
  it(`examples/worker-app (${variant}) with a short SESSION_SECRET answers 500 and logs that production refuses it`, async () => {
    const { server } = await startWorker(bundle, variant, { SESSION_SECRET: 'my-super-secret-key' });
    try {
      expect((await fetch(`${server.url}/api/visits`, { method: 'POST' })).status).toBe(500);
      await expect
        .poll(() => server.output())
        .toMatch(/at least 32 characters \(got 19\).*only in development.*here NODE_ENV is "production"/);
    } finally {
      await server.stop();
    }
  });

  describeSessionApp(
    `examples/worker-app on workerd (${variant})`,
    async () => {
      const { mf, server } = await startWorker(bundle, variant, { SESSION_SECRET: randomBytes(36).toString('base64') });
      const kv = await mf.getKVNamespace('SESSIONS');
      kvKeys = async () => (await kv.list()).keys.map((key) => key.name);
      return server;
    },
    (ctx) => {
      it('keeps sessions in KV', async () => {
        const before = await kvKeys();
        await ctx.newSession();
        expect((await kvKeys()).length, 'keys in KV after a new session was written').toBeGreaterThan(before.length);
      });

      // After every other check of this Worker: the warning comes once per store, however many requests used it.
      it('warns once that KV cannot promise compare-and-set across instances nor prompt revocation', () => {
        const lines = ctx.server
          .output()
          .split('\n')
          .filter((line) => line.includes('session store is eventually consistent'));
        expect(lines, ctx.server.output()).toHaveLength(1);
        expect(lines[0]).toMatch(/the 'cloudflare-kv-binding' session store is eventually consistent/);
        expect(lines[0]).toMatch(/no compare-and-set across instances: .*the last write wins.*no prompt revocation: .*up to 60 s/);
      });
    },
    { redis: false },
  );
}
