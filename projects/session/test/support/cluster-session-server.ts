// Entry point of a standalone test server process on a Redis Cluster (bundled by spawnTestServer): the shared
// test app on createStorage({ driver: redisDriver({ cluster }) }), with the seed nodes and the ioredis options
// under test from the environment, and a marker on stderr for anything that would crash it.
import { createStorage } from 'unstorage';
import redisDriver from 'unstorage/drivers/redis';
import { serve } from './http';
import { createSessionApp } from './session-app';

process.on('unhandledRejection', (reason) => {
  process.stderr.write(`RELIABILITY_UNHANDLED_REJECTION ${reason instanceof Error ? reason.stack : String(reason)}\n`);
  process.exit(70);
});
process.on('uncaughtException', (error) => {
  process.stderr.write(`RELIABILITY_UNCAUGHT_EXCEPTION ${error.stack}\n`);
  process.exit(70);
});

const env = (name: string) => (process.env[name] ? Number(process.env[name]) : undefined);
const cluster = process.env['REDIS_CLUSTER']!.split(',').map((port) => ({ host: '127.0.0.1', port: Number(port) }));
const retryMs = env('REDIS_RETRY_MS');
const store = createStorage({
  driver: redisDriver({
    cluster,
    clusterOptions:
      retryMs === undefined
        ? {}
        : {
            clusterRetryStrategy: () => retryMs,
            retryDelayOnFailover: retryMs,
            retryDelayOnClusterDown: retryMs,
            retryDelayOnTryAgain: retryMs,
            redisOptions: { maxRetriesPerRequest: 1 },
          },
  }),
});
const served = await serve(createSessionApp(store, { timeout: env('SESSION_TIMEOUT') ?? 2000 }).app);
process.stdout.write(`listening ${served.url}\n`);
process.on('SIGTERM', async () => {
  await served.close();
  await store.dispose();
  process.exit(0);
});
