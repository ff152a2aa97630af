// The fs drivers (fs, fs-lite) made fit for sessions. unstorage's plain driver writes in place (a reader can see
// half a record), swallows every failed delete (a logout that did not happen reports success) and leaves two
// processes free to overwrite each other's records. This wrapper fixes all three.
import type { Driver } from 'unstorage';
import { messageOf, SessionError } from '../core/errors';

/** Name of the file that records which process owns a session directory. */
export const FS_LOCK_FILE = '.analog-session.lock';

const TEMP_SUFFIX = '.tmp';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Wraps an fs driver: writes go to a temporary file renamed into place (atomic on POSIX), a failed write
 * leaves no temporary file, a failed delete rejects (only "already gone" counts as deleted), and the
 * directory belongs to one process at a time (a lock file with a random token and a heartbeat, see claimDirectory):
 * a second live process, in this container or another on the same volume, gets a `CONFIG_ERROR` naming the fix.
 */
export async function withSessionFs(driver: Driver): Promise<Driver> {
  // From the runtime, not import(): a bundle of this package for a Worker must not import node:fs.
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const builtin = (id: string) => proc!.getBuiltinModule!(id);
  if (!proc?.getBuiltinModule)
    throw new SessionError('CONFIG_ERROR', 'createUnstorageStore(): the fs store needs Node.js 20.16 or later.', { backend: 'fs' });
  const fs = builtin('fs') as NodeFs;
  const { dirname, join, resolve } = builtin('path') as typeof import('node:path');
  const { randomBytes } = builtin('crypto') as typeof import('node:crypto');
  const fsp = fs.promises;
  const base = resolve((driver.options as { base: string }).base);
  const pathOf = (key: string) => {
    if (/\.\.:|\.\.$/.test(key)) throw new Error(`Invalid key: ${JSON.stringify(key)}. It should not contain .. segments`);
    return join(base, key.replace(/:/g, '/'));
  };

  const release = claimDirectory(fs, join(base, FS_LOCK_FILE), base, randomBytes(16).toString('hex'));
  // Temporary files left by a crash between write and rename: no write of ours is in flight yet.
  await removeTempFiles(fsp, join, base);

  const write = async (key: string, value: unknown) => {
    const target = pathOf(key);
    const temp = `${target}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
    await fsp.mkdir(dirname(target), { recursive: true });
    try {
      await fsp.writeFile(temp, value as string, { mode: 0o600 });
      await fsp.rename(temp, target);
    } catch (error) {
      // A full disk fails in writeFile after creating the file: never leave it behind.
      await fsp.unlink(temp).catch(() => undefined);
      throw error;
    }
  };
  const remove = async (key: string) => {
    try {
      await fsp.unlink(pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  };
  const getKeys = driver.getKeys.bind(driver);
  const dispose = driver.dispose?.bind(driver);
  return {
    ...driver,
    setItem: write,
    setItemRaw: write,
    removeItem: remove,
    getKeys: async (prefix, opts) =>
      (await getKeys(prefix, opts)).filter((key) => !key.endsWith(TEMP_SUFFIX) && !key.startsWith(FS_LOCK_FILE)),
    dispose: async () => {
      release();
      await dispose?.();
    },
  };
}

type NodeFs = typeof import('node:fs');

/** How often the owner of a session directory refreshes its lock file's mtime: its heartbeat. */
export const FS_LOCK_HEARTBEAT_MS = 5_000;
/** A lock whose heartbeat is older than this is stale (its owner is gone, or frozen that long): it may be taken over. */
export const FS_LOCK_STALE_MS = 4 * FS_LOCK_HEARTBEAT_MS;

/**
 * What the lock file holds. `token` alone says whose it is: a pid does not (every container's first process is
 * pid 1, and a pid comes back after a reboot). `pid` and `scope` (the boot and PID namespace the pid belongs
 * to) only let a process that shares the scope see at once that the owner died, without waiting for its
 * heartbeat to go stale.
 */
interface LockOwner {
  token: string;
  pid: number;
  scope?: string;
}

function parseOwner(raw: string): LockOwner | { legacyPid: number } {
  try {
    const owner = JSON.parse(raw) as LockOwner;
    if (typeof owner?.token === 'string' && typeof owner.pid === 'number') return owner;
  } catch {
    // The plain pid earlier releases wrote.
  }
  return { legacyPid: Number.parseInt(raw, 10) };
}

/** This process's boot and PID namespace on Linux, where /proc tells; elsewhere unknown. */
function pidScope(fs: NodeFs): string | undefined {
  try {
    return `${fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()}/${fs.readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return undefined;
  }
}

/**
 * Takes the directory for this process, or throws when another live owner holds it. Returns the release.
 * The lock file holds a random token, and its owner refreshes its mtime every {@link FS_LOCK_HEARTBEAT_MS};
 * a lock with an older heartbeat than {@link FS_LOCK_STALE_MS} is taken over. The release, and the takeover,
 * remove a lock file only after checking it holds the token they mean.
 */
function claimDirectory(fs: NodeFs, lockFile: string, base: string, token: string): () => void {
  fs.mkdirSync(base, { recursive: true });
  const scope = pidScope(fs);
  const mine = JSON.stringify({ token, pid: process.pid, ...(scope === undefined ? {} : { scope }) } satisfies LockOwner);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockFile, mine, { flag: 'wx', mode: 0o600 });
      return holdLock(fs, lockFile, mine);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new SessionError('CONFIG_ERROR', `createUnstorageStore(): cannot use ${base} for the fs store: ${messageOf(error)}`, {
          backend: 'fs',
        });
      }
    }
    let raw: string;
    let age: number;
    try {
      raw = fs.readFileSync(lockFile, 'utf8');
      age = Date.now() - fs.statSync(lockFile).mtimeMs;
    } catch {
      continue; // released meanwhile
    }
    const owner = parseOwner(raw);
    if (!isStale(owner, age, scope)) {
      const legacy = 'legacyPid' in owner;
      const pid = legacy ? owner.legacyPid : owner.pid;
      const seen = legacy ? '' : `, maybe in another container; its heartbeat is ${Math.round(age / 1000)} s old`;
      const wait = legacy ? '' : `, or wait: a lock not refreshed for ${FS_LOCK_STALE_MS / 1000} s is taken over`;
      throw new SessionError(
        'CONFIG_ERROR',
        `createUnstorageStore(): the fs store at ${base} is in use by another process (pid ${pid}${seen}). ` +
          `The fs store is safe within one process only: give each process its own directory, or share sessions between ` +
          `processes through Redis. If no such process uses it, delete ${lockFile}${wait}.`,
        { backend: 'fs', owner: pid },
      );
    }
    takeOver(fs, lockFile, raw, token);
  }
  throw new SessionError('CONFIG_ERROR', `createUnstorageStore(): could not take ${lockFile}: another process keeps taking it.`, {
    backend: 'fs',
  });
}

function isStale(owner: LockOwner | { legacyPid: number }, age: number, scope: string | undefined): boolean {
  // An earlier release's lock has no heartbeat: its pid decides, as it did then.
  if ('legacyPid' in owner) return !(owner.legacyPid > 0 && owner.legacyPid !== process.pid && isAlive(owner.legacyPid));
  if (age > FS_LOCK_STALE_MS) return true;
  // A pid means something only in its own boot and PID namespace: there, a dead owner's lock is stale at once,
  // and this very process may take its own lock again (a dev server reloading its modules).
  return scope !== undefined && owner.scope === scope && (owner.pid === process.pid || !isAlive(owner.pid));
}

/**
 * Removes the stale lock whose content is `stale`, and nothing else: it is renamed aside first (atomic), and put
 * back when it turns out to be another one (a process that took it over between our read and the rename).
 */
function takeOver(fs: NodeFs, lockFile: string, stale: string, token: string): void {
  const aside = `${lockFile}.${token}.stale`;
  try {
    fs.renameSync(lockFile, aside);
  } catch {
    return; // gone meanwhile
  }
  try {
    if (fs.readFileSync(aside, 'utf8') !== stale) fs.linkSync(aside, lockFile); // never over a newer lock
  } catch {
    // A newer lock is in place: the next attempt meets it.
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

/** Refreshes the heartbeat while the lock is ours; returns the release, which removes only our own lock. */
function holdLock(fs: NodeFs, lockFile: string, mine: string): () => void {
  const current = () => {
    try {
      return fs.readFileSync(lockFile, 'utf8');
    } catch {
      return undefined;
    }
  };
  const holds = () => current() === mine;
  const heartbeat = setInterval(() => {
    const now = current();
    if (now !== mine) {
      clearInterval(heartbeat);
      // Taken again by this very process (a reloaded module): nothing to report.
      const owner = now === undefined ? undefined : parseOwner(now);
      if (owner && 'pid' in owner && owner.pid === process.pid && owner.scope === (JSON.parse(mine) as LockOwner).scope) return;
      console.error(
        `[@analog-tools/session] fs store: ${lockFile} was taken over by another process (this one did not refresh it for ` +
          `${FS_LOCK_STALE_MS / 1000} s). Two processes now write the same session directory: restart this one.`,
      );
      return;
    }
    const time = new Date();
    try {
      fs.utimesSync(lockFile, time, time);
    } catch {
      // Gone between the check and the refresh: the next beat reports it.
    }
  }, FS_LOCK_HEARTBEAT_MS);
  (heartbeat as { unref?: () => void }).unref?.();
  const release = () => {
    process.off('exit', release);
    clearInterval(heartbeat);
    if (holds()) fs.rmSync(lockFile, { force: true });
  };
  process.once('exit', release);
  return release;
}

async function removeTempFiles(fsp: NodeFs['promises'], join: (...parts: string[]) => string, dir: string): Promise<void> {
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return removeTempFiles(fsp, join, path);
      return entry.name.endsWith(TEMP_SUFFIX) ? fsp.unlink(path).catch(() => undefined) : undefined;
    }),
  );
}
