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
 * directory belongs to one process at a time: a second live process gets a `CONFIG_ERROR` naming the fix.
 */
export async function withSessionFs(driver: Driver): Promise<Driver> {
  const fs = await import('node:fs');
  const { dirname, join, resolve } = await import('node:path');
  const { randomBytes } = await import('node:crypto');
  const fsp = fs.promises;
  const base = resolve((driver.options as { base: string }).base);
  const pathOf = (key: string) => {
    if (/\.\.:|\.\.$/.test(key)) throw new Error(`Invalid key: ${JSON.stringify(key)}. It should not contain .. segments`);
    return join(base, key.replace(/:/g, '/'));
  };

  const release = claimDirectory(fs, join(base, FS_LOCK_FILE), base);
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
    getKeys: async (prefix, opts) => (await getKeys(prefix, opts)).filter((key) => !key.endsWith(TEMP_SUFFIX) && key !== FS_LOCK_FILE),
    dispose: async () => {
      release();
      await dispose?.();
    },
  };
}

type NodeFs = typeof import('node:fs');

/** Takes the directory for this process, or throws when another live process holds it. Returns the release. */
function claimDirectory(fs: NodeFs, lockFile: string, base: string): () => void {
  fs.mkdirSync(base, { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx', mode: 0o600 });
      const release = () => {
        process.off('exit', release);
        try {
          if (fs.readFileSync(lockFile, 'utf8') === String(process.pid)) fs.unlinkSync(lockFile);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new SessionError('CONFIG_ERROR', `createUnstorageStore(): cannot use ${base} for the fs store: ${messageOf(error)}`, {
          backend: 'fs',
        });
      }
    }
    const owner = Number.parseInt(fs.readFileSync(lockFile, 'utf8'), 10);
    // The same process (a dev server reloading its modules) may take it again; a dead owner left it stale.
    if (owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new SessionError(
        'CONFIG_ERROR',
        `createUnstorageStore(): the fs store at ${base} is in use by another process (pid ${owner}). The fs store is safe within ` +
          `one process only: give each process its own directory, or share sessions between processes through Redis. ` +
          `If no such process uses it, delete ${lockFile}.`,
        { backend: 'fs', owner },
      );
    }
    fs.rmSync(lockFile, { force: true });
  }
  throw new SessionError('CONFIG_ERROR', `createUnstorageStore(): could not take ${lockFile}: another process keeps taking it.`, {
    backend: 'fs',
  });
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
