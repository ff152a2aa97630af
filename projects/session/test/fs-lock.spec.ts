// The fs store's directory lock when pids say nothing: two containers on one volume (each its own PID namespace,
// each server pid 1), a pid reused after a reboot. The lock is a random token with a heartbeat (the file's mtime);
// only a stale heartbeat lets another process take it over, and a process deletes only its own lock.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createUnstorageStore } from '../src/index';
import { FS_LOCK_FILE, FS_LOCK_HEARTBEAT_MS, FS_LOCK_STALE_MS } from '../src/stores/fs';
import { Client } from './support/http';

const here = dirname(fileURLToPath(import.meta.url));
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function sessionDir(): { base: string; lockFile: string } {
  const base = mkdtempSync(join(tmpdir(), 'session-fs-lock-'));
  cleanups.push(() => rmSync(base, { recursive: true, force: true }));
  return { base, lockFile: join(base, FS_LOCK_FILE) };
}

async function fsStore(base: string) {
  const store = await createUnstorageStore({ type: 'fs', options: { base } });
  cleanups.push(() => store.dispose());
  return store;
}

/** A lock as another process writes it: same pid as ours (every container's server is pid 1), another namespace. */
function foreignLock(lockFile: string, ageMs = 0): string {
  const raw = JSON.stringify({ token: 'f'.repeat(32), pid: process.pid, scope: 'another-boot/pid:[4026530000]' });
  writeFileSync(lockFile, raw);
  const at = new Date(Date.now() - ageMs);
  utimesSync(lockFile, at, at);
  return raw;
}

describe('fs store lock, one process simulating another PID namespace', () => {
  it('a live lock (fresh heartbeat) of a process with our pid in another namespace is not taken over', async () => {
    const { base, lockFile } = sessionDir();
    const raw = foreignLock(lockFile);
    await expect(fsStore(base)).rejects.toThrow(/in use by another process \(pid \d+, maybe in another container/);
    expect(readFileSync(lockFile, 'utf8')).toBe(raw);
  });

  it('a stale lock (heartbeat older than FS_LOCK_STALE_MS) is taken over', async () => {
    const { base, lockFile } = sessionDir();
    const raw = foreignLock(lockFile, FS_LOCK_STALE_MS + 1000);
    await fsStore(base);
    expect(readFileSync(lockFile, 'utf8')).not.toBe(raw);
  });

  it('two stores cannot both hold the lock, and one that lost it does not delete the other one', async () => {
    const { base, lockFile } = sessionDir();
    const first = await fsStore(base);
    const mine = readFileSync(lockFile, 'utf8');
    // The first store as seen from another namespace: same pid, live heartbeat.
    writeFileSync(lockFile, JSON.stringify({ ...JSON.parse(mine), scope: 'another-boot/pid:[4026530000]' }));
    await expect(fsStore(base)).rejects.toThrow(/in use by another process/);
    // A takeover (after the first froze past FS_LOCK_STALE_MS): the first's release leaves the new lock alone.
    const raw = foreignLock(lockFile);
    await first.dispose();
    expect(readFileSync(lockFile, 'utf8')).toBe(raw);
  });

  it('the owner refreshes the heartbeat every FS_LOCK_HEARTBEAT_MS, and releases its own lock', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    cleanups.push(() => vi.useRealTimers());
    const { base, lockFile } = sessionDir();
    const store = await fsStore(base);
    const old = new Date(Date.now() - FS_LOCK_STALE_MS);
    utimesSync(lockFile, old, old);
    vi.advanceTimersByTime(FS_LOCK_HEARTBEAT_MS);
    expect(Date.now() - statSync(lockFile).mtimeMs).toBeLessThan(FS_LOCK_HEARTBEAT_MS);
    await store.dispose();
    expect(existsSync(lockFile)).toBe(false);
  });
});

describe('fs store lock, two containers on one volume (two PID namespaces, both servers pid 1)', () => {
  const bundle = join(here, '.build/session-server.pid1.mjs');

  /** The test server of support/session-server.ts as pid 1 of a new PID namespace (`unshare`, the suite runs as root). */
  async function startPid1(base: string) {
    await build({
      entryPoints: [join(here, 'support/session-server.ts')],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'error',
    });
    const args = ['--pid', '--fork', '--mount-proc', '--kill-child=SIGTERM', process.execPath, bundle];
    const child = spawn('unshare', args, { env: { ...process.env, FS_BASE: base }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string | undefined>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => resolve(/listening (\S+)/.exec(chunk.toString())?.[1]));
      child.once('exit', () => resolve(undefined));
    });
    // unshare does not pass SIGTERM on: signal its child, the server (SIGKILL if it does not exit in time).
    const stop = async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const server = Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim());
      if (server > 0) process.kill(server, 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    };
    cleanups.push(stop);
    return { url, stderr: () => stderr, exited, stop };
  }

  it('the second is refused, its exit leaves the first one its lock, and the first releases it on exit', async () => {
    const { base, lockFile } = sessionDir();
    const first = await startPid1(base);
    expect(first.url).toBeDefined();
    expect(JSON.parse(readFileSync(lockFile, 'utf8'))).toMatchObject({ pid: 1 });
    const lock = readFileSync(lockFile, 'utf8');

    const second = await startPid1(base);
    await second.exited;
    expect(second.url).toBeUndefined();
    expect(second.stderr()).toMatch(/CONFIG_ERROR|in use by another process \(pid 1, maybe in another container/);
    expect(readFileSync(lockFile, 'utf8')).toBe(lock);
    expect(await new Client(first.url!).json('/set', { body: { ok: true } })).toEqual({ ok: true });

    await first.stop();
    expect(existsSync(lockFile)).toBe(false);
  }, 20_000);
});
