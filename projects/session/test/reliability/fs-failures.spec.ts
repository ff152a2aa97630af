// The fs store when the file system misbehaves: a read-only mount, a full disk, a crash that left temporary
// files, and a second process on the same directory. Runs on real tmpfs mounts (the suite runs as root, as CI
// does): every failure must surface as STORAGE_ERROR (or CONFIG_ERROR for the second process), never as success.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from 'unstorage';
import { afterEach, describe, expect, it } from 'vitest';
import { createUnstorageStore, revokeUserSessions } from '../../src/index';
import { FS_LOCK_FILE } from '../../src/stores/fs';
import { statusTextOf } from '../support/h3-app';
import { Client, serve, type Served } from '../support/http';
import { createSessionApp } from '../support/session-app';
import { spawnTestServer } from '../support/spawn-test-server';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh tmpfs of `size` mounted on a temp directory, unmounted after the test. */
function mountTmpfs(size: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'session-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
  } catch (error) {
    throw new Error(`this suite mounts a tmpfs and needs root (CI runs as root): ${(error as Error).message}`);
  }
  cleanups.push(() => {
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

const remount = (dir: string, mode: 'ro' | 'rw') => execFileSync('mount', ['-o', `remount,${mode}`, dir]);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

async function fsApp(base: string): Promise<{ store: Storage<any>; server: Served }> {
  const store = await createUnstorageStore({ type: 'fs', options: { base } });
  const server = await serve(createSessionApp(store).app);
  cleanups.push(async () => {
    await server.close();
    await store.dispose();
  });
  return { store, server };
}

describe('fs store on a read-only file system', () => {
  it('a logout that could not delete the record fails with 503 and the session stays what it was', async () => {
    const dir = mountTmpfs('1m');
    const { server } = await fsApp(dir);
    const ada = new Client(server.url);
    await ada.json('/login', { body: { user: 'ada' } });

    remount(dir, 'ro');
    cleanups.push(() => remount(dir, 'rw'));
    const logout = await ada.clone().request('/destroy', { method: 'POST' });
    expect(logout.status).toBe(503);
    expect(statusTextOf(await logout.json())).toBe('Session storage unavailable');
    // Nothing claimed success: the record is still there, and the cookie still names it.
    expect(await ada.json('/session')).toMatchObject({ user: 'ada' });
  });

  it('revokeUserSessions rejects with STORAGE_ERROR instead of counting sessions it did not end', async () => {
    const dir = mountTmpfs('1m');
    const { store, server } = await fsApp(dir);
    const devices = [new Client(server.url), new Client(server.url), new Client(server.url)];
    for (const device of devices) await device.json('/login', { body: { user: 'ada' } });

    remount(dir, 'ro');
    cleanups.push(() => remount(dir, 'rw'));
    await expect(revokeUserSessions(store, 'ada')).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
    remount(dir, 'rw');
    for (const device of devices) expect(await device.json('/session')).toMatchObject({ user: 'ada' });
    expect(await revokeUserSessions(store, 'ada')).toBe(3);
    for (const device of devices) expect(await device.json('/session')).toMatchObject({ user: null });
  });
});

describe('fs store on a full disk', () => {
  it('a write that does not fit fails with 503 and leaves no temporary file behind', async () => {
    const dir = mountTmpfs('256k');
    const { server } = await fsApp(dir);
    const client = new Client(server.url);
    await client.json('/set', { body: { small: 1 } });

    for (let i = 0; i < 5; i++) {
      const response = await client.clone().request('/set', { body: { blob: 'x'.repeat(400_000), i } });
      expect(response.status).toBe(503);
    }
    expect(filesUnder(dir).filter((file) => file.endsWith('.tmp'))).toEqual([]);
    expect(await client.json('/session')).toMatchObject({ data: { small: 1 } });
  });

  it('temporary files left by a crash are removed when the store opens', async () => {
    const base = mkdtempSync(join(tmpdir(), 'session-fs-'));
    cleanups.push(() => rmSync(base, { recursive: true, force: true }));
    mkdirSync(join(base, 'sess'), { recursive: true });
    writeFileSync(join(base, 'sess', 'abc.0123456789ab.tmp'), '{"half":');
    const { store } = await fsApp(base);
    expect(filesUnder(base).filter((file) => file.endsWith('.tmp'))).toEqual([]);
    expect(await store.getKeys('sess')).toEqual([]);
  });
});

describe('fs store shared by two processes', () => {
  const entry = join(import.meta.dirname, '../support/session-server.ts');

  it('a second live process on the same directory is refused with the fix in the message', async () => {
    const base = mkdtempSync(join(tmpdir(), 'session-fs-'));
    cleanups.push(() => rmSync(base, { recursive: true, force: true }));
    const first = await spawnTestServer(entry, { FS_BASE: base });
    cleanups.push(() => first.stop());

    const second = spawnTestServer(entry, { FS_BASE: base });
    await expect(second).rejects.toThrow(/CONFIG_ERROR|in use by another process \(pid \d+\).*Redis/s);

    // Once the first process is gone, its lock is released and the directory can be used again.
    await first.stop();
    expect(existsSync(join(base, FS_LOCK_FILE))).toBe(false);
    const third = await spawnTestServer(entry, { FS_BASE: base });
    cleanups.push(() => third.stop());
    expect(await new Client(third.url).json('/set', { body: { ok: true } })).toEqual({ ok: true });
  });

  it('a lock left by a process that died is taken over', async () => {
    const base = mkdtempSync(join(tmpdir(), 'session-fs-'));
    cleanups.push(() => rmSync(base, { recursive: true, force: true }));
    const dead = execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).toString();
    writeFileSync(join(base, FS_LOCK_FILE), dead);
    const { server } = await fsApp(base);
    expect(await new Client(server.url).json('/set', { body: { ok: true } })).toEqual({ ok: true });
  });
});
