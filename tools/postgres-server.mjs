// Starts a throw-away PostgreSQL server (Debian's `postgresql` package) on a free loopback port for tests and
// benchmarks: initdb into a temporary folder, then `postgres` as a child process. PostgreSQL refuses to run as root:
// under root both run as the `postgres` user the package creates (runuser), else as the current user.
import { spawn, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis-server.mjs';
import { waitUntilReady } from './wait-until-ready.mjs';

/** The bin folder of the newest PostgreSQL Debian installed, or a message naming the fix. */
function postgresBin() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))) : [];
  if (versions.length === 0) {
    throw new Error('PostgreSQL is not installed. Run `npm test` (it installs it) or `apt-get install -y postgresql`.');
  }
  return join(root, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

/** [command, args] running `bin/name args` as a user PostgreSQL accepts. */
function asPostgresUser(bin, name, args) {
  const command = join(bin, name);
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/**
 * Starts PostgreSQL with a database `sessions` open to user `postgres` without a password (loopback only).
 * fsync is off (a test server needs no power-loss safety) but every commit still reaches the kernel before it is
 * acknowledged, so a killed server keeps every acknowledged write.
 * @returns {Promise<{ port: number, url: string, dir: string, stop: () => Promise<void>,
 *   start: () => Promise<void>, kill: () => Promise<void> }>}
 *   stop() shuts down and removes the data folder; kill() stops it at once (like a crash) but keeps the data so
 *   start() can bring it back.
 */
export async function startPostgres() {
  const bin = postgresBin();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'postgres-test-'));
  const data = join(dir, 'data');
  if (process.getuid?.() === 0) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), 0);
  const run = (name, args) => {
    const [command, argv] = asPostgresUser(bin, name, args);
    return execFileSync(command, argv, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  let child;

  async function start() {
    const [command, argv] = asPostgresUser(bin, 'postgres', [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
      '-c',
      'log_min_messages=fatal',
    ]);
    child = spawn(command, argv, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    await waitUntilReady(child, 'postgres', port, () =>
      run('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-d', 'postgres', '-U', 'postgres']),
    );
  }

  async function halt(mode) {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      run('pg_ctl', ['stop', '-D', data, '-m', mode, '-w']);
    } catch {
      child.kill('SIGKILL');
    }
    await exited;
  }

  // A test process that ends without stop() (a worker torn down, a failed hook) takes its server along.
  const onExit = () => {
    if (child && child.exitCode === null) {
      try {
        run('pg_ctl', ['stop', '-D', data, '-m', 'immediate']);
      } catch {
        // already stopping
      }
    }
  };
  process.once('exit', onExit);
  await start();
  run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-q', '-c', 'CREATE DATABASE sessions']);
  return {
    port,
    url: `postgresql://postgres@127.0.0.1:${port}/sessions`,
    dir,
    start,
    kill: () => halt('immediate'),
    stop: async () => {
      process.off('exit', onExit);
      await halt('fast');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
