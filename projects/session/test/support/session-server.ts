// Entry point of a standalone test server process (bundled by spawnSessionServer): the same app as the
// in-process tests, on the store named by the environment.
import { createStorage } from 'unstorage';
import redisDriver from 'unstorage/drivers/redis';
import { serve } from './http';
import { createSessionApp } from './session-app';

const store = process.env['REDIS_URL'] ? createStorage({ driver: redisDriver({ url: process.env['REDIS_URL'] }) }) : createStorage();
const timeout = Number(process.env['SESSION_TIMEOUT'] ?? 2000);
const served = await serve(createSessionApp(store, { timeout }).app);
process.stdout.write(`listening ${served.url}\n`);
process.on('SIGTERM', async () => {
  await served.close();
  await store.dispose();
  process.exit(0);
});
