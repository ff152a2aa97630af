// Starts a throw-away MariaDB server (Debian's `mariadb-server` package) on a free loopback port for tests and
// benchmarks: mariadb-install-db into a temporary folder, then `mariadbd` as a child process; no system service, no
// config file read (--no-defaults). Under root both run as the `mysql` user the package creates (--user), else as the
// current user.
import { spawn, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis-server.mjs';
import { waitUntilReady } from './wait-until-ready.mjs';

const INSTALL_DB = '/usr/bin/mariadb-install-db';
const SERVER = '/usr/sbin/mariadbd';
const CLIENT = '/usr/bin/mariadb';
const ADMIN = '/usr/bin/mariadb-admin';

/**
 * Starts MariaDB with a database `sessions` open to user `root` without a password (loopback only). A commit is
 * written to the OS before it is acknowledged (innodb_flush_log_at_trx_commit=2): a killed server keeps every
 * acknowledged write; only a power loss could take the last second, which a test server does not need to survive.
 * The server's own character set is left at its default (latin1): the store's table names utf8mb4 itself.
 * @returns {Promise<{ port: number, url: string, dir: string, stop: () => Promise<void>,
 *   start: () => Promise<void>, kill: () => Promise<void> }>}
 *   stop() shuts down and removes the data folder; kill() stops it at once (SIGKILL, like a crash) but keeps the data
 *   so start() can bring it back.
 */
export async function startMariadb() {
  if (!existsSync(SERVER) || !existsSync(INSTALL_DB)) {
    throw new Error('MariaDB is not installed. Run `npm test` (it installs it) or `apt-get install -y mariadb-server`.');
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mariadb-test-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'mysql']).toString()), 0);
  const user = asRoot ? ['--user=mysql'] : [];
  // Small InnoDB files: a test server holds a few thousand rows, and each test file starts its own.
  const innodb = ['--innodb-log-file-size=8M', '--innodb-buffer-pool-size=32M'];
  execFileSync(
    INSTALL_DB,
    ['--no-defaults', ...user, `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...innodb],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const client = (program, args) =>
    execFileSync(program, ['--no-defaults', '-h', '127.0.0.1', '-P', String(port), '-u', 'root', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  let child;

  async function start() {
    const args = [
      '--no-defaults',
      ...user,
      `--datadir=${data}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--socket=${join(dir, 'mariadb.sock')}`,
      `--pid-file=${join(dir, 'mariadb.pid')}`,
      '--skip-name-resolve',
      '--skip-log-bin',
      '--innodb-flush-log-at-trx-commit=2',
      '--max-connections=200',
      ...innodb,
    ];
    child = spawn(SERVER, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    await waitUntilReady(child, 'mariadbd', port, () => client(ADMIN, ['ping']));
  }

  async function halt(signal) {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  // A test process that ends without stop() (a worker torn down, a failed hook) takes its server along.
  const onExit = () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', onExit);
  await start();
  client(CLIENT, ['-e', 'CREATE DATABASE sessions']);
  return {
    port,
    url: `mysql://root@127.0.0.1:${port}/sessions`,
    dir,
    start,
    kill: () => halt('SIGKILL'),
    stop: async () => {
      process.off('exit', onExit);
      await halt('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
