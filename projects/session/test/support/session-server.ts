// Entry point of a standalone test server process (bundled by spawnSessionServer): the same app as the
// in-process tests, on the store named by the environment (REDIS_URL, FS_BASE, POSTGRES_URL, MARIADB_URL, SQLITE_FILE,
// else memory).
import { appendFileSync } from 'node:fs';
import { createDatabase } from 'db0';
import libsql from 'db0/connectors/libsql/node';
import mysql2 from 'db0/connectors/mysql2';
import postgresql from 'db0/connectors/postgresql';
import { createStorage } from 'unstorage';
import redisDriver from 'unstorage/drivers/redis';
import { createUnstorageStore } from '../../src/index';
import { serve } from './http';
import { createSessionApp } from './session-app';

const { REDIS_URL, FS_BASE, POSTGRES_URL, MARIADB_URL, SQLITE_FILE } = process.env;
const database = POSTGRES_URL
  ? createDatabase(postgresql({ url: POSTGRES_URL }))
  : MARIADB_URL
    ? createDatabase(mysql2({ uri: MARIADB_URL }))
    : SQLITE_FILE
      ? createDatabase(libsql({ url: `file:${SQLITE_FILE}` }))
      : undefined;
const store = REDIS_URL
  ? createStorage({ driver: redisDriver({ url: REDIS_URL }) })
  : FS_BASE
    ? await createUnstorageStore({ type: 'fs', options: { base: FS_BASE } })
    : database
      ? await createUnstorageStore({ type: 'db0', options: { database } })
      : createStorage();
const timeout = Number(process.env['SESSION_TIMEOUT'] ?? 2000);
const { MAX_AGE, EVENTS_FILE, HEARTBEAT } = process.env;
// EVENTS_FILE: every lifecycle event this instance reports, one JSON line each (lifecycle-instances.spec.ts).
const onEvent = EVENTS_FILE ? (event: unknown) => appendFileSync(EVENTS_FILE, `${JSON.stringify(event)}\n`) : undefined;
const config = { timeout, ...(MAX_AGE ? { maxAge: Number(MAX_AGE) } : {}), ...(onEvent ? { onEvent } : {}) };
const served = await serve(createSessionApp(store, config, undefined, HEARTBEAT ? { heartbeatInterval: Number(HEARTBEAT) } : {}).app);
process.stdout.write(`listening ${served.url}\n`);
process.on('SIGTERM', async () => {
  await served.close();
  await store.dispose();
  process.exit(0);
});
