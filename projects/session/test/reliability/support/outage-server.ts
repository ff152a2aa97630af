// Entry point of the storage-outage test's server process: the shared test app on Redis (with the ioredis
// options under test taken from the environment), on PostgreSQL (POSTGRES_URL) or on MariaDB (MARIADB_URL), and a
// marker on stderr for anything that would crash it.
import { createDatabase } from 'db0';
import mysql2 from 'db0/connectors/mysql2';
import postgresql from 'db0/connectors/postgresql';
import { createUnstorageStore } from '../../../src/index';
import { serve } from '../../support/http';
import { createSessionApp } from '../../support/session-app';

// Node would crash on these anyway; the marker lets the test tell them apart from ioredis' own logging.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`RELIABILITY_UNHANDLED_REJECTION ${reason instanceof Error ? reason.stack : String(reason)}\n`);
  process.exit(70);
});
process.on('uncaughtException', (error) => {
  process.stderr.write(`RELIABILITY_UNCAUGHT_EXCEPTION ${error.stack}\n`);
  process.exit(70);
});

const env = (name: string) => (process.env[name] === undefined || process.env[name] === '' ? undefined : Number(process.env[name]));
const retryMs = env('REDIS_RETRY_MS');
const maxRetriesPerRequest = env('REDIS_MAX_RETRIES_PER_REQUEST');
const postgresUrl = process.env['POSTGRES_URL'];
const mariadbUrl = process.env['MARIADB_URL'];
const database = postgresUrl
  ? createDatabase(postgresql({ url: postgresUrl }))
  : mariadbUrl
    ? createDatabase(mysql2({ uri: mariadbUrl }))
    : undefined;
const store = database
  ? await createUnstorageStore({ type: 'db0', options: { database } })
  : await createUnstorageStore({
      type: 'redis',
      options: {
        url: process.env['REDIS_URL']!,
        ...(retryMs === undefined ? {} : { retryStrategy: () => retryMs }),
        ...(maxRetriesPerRequest === undefined ? {} : { maxRetriesPerRequest }),
      },
    });
const served = await serve(createSessionApp(store, { timeout: env('SESSION_TIMEOUT') ?? 2000 }).app);
process.stdout.write(`listening ${served.url}\n`);
process.on('SIGTERM', async () => {
  await served.close();
  await store.dispose();
  process.exit(0);
});
