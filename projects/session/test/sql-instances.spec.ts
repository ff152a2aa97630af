// Two server processes on one PostgreSQL server, on one MariaDB server and on one SQLite file: no lost update, and
// regeneration, destruction and revocation on one are seen by the other at once; on PostgreSQL a revocation on one
// reaches an open event stream on the other (LISTEN/NOTIFY). MariaDB and SQLite keep session notices in each process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error plain ESM helper shared with bench/
import { startPostgres } from '../../../tools/postgres-server.mjs';
// @ts-expect-error plain ESM helper shared with bench/
import { startMariadb } from '../../../tools/mariadb-server.mjs';
import { describeTwoInstances } from './support/describe-two-instances';
import { spawnSessionServer } from './support/spawn-test-server';

describeTwoInstances('one PostgreSQL', async () => {
  const postgres = await startPostgres();
  return { spawn: () => spawnSessionServer({ POSTGRES_URL: postgres.url }), stop: () => postgres.stop() };
});

describeTwoInstances(
  'one MariaDB',
  async () => {
    const mariadb = await startMariadb();
    return { spawn: () => spawnSessionServer({ MARIADB_URL: mariadb.url }), stop: () => mariadb.stop() };
  },
  { push: false },
);

describeTwoInstances(
  'one SQLite file',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-sqlite-'));
    return {
      spawn: () => spawnSessionServer({ SQLITE_FILE: join(dir, 'sessions.db') }),
      stop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
  { push: false },
);
