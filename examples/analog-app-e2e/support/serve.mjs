// Serves examples/analog-app for the Playwright suite, on a real Redis started on a free port:
// `node serve.mjs built` runs the built Nitro server (dist/analog/server/index.mjs), `node serve.mjs dev` the
// Vite dev server. PORT comes from the environment. Both processes stop when this one gets SIGTERM/SIGINT.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedis } from '../../../tools/redis-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const appDir = join(here, '../../analog-app');
const repoRoot = join(here, '../../..');
const mode = process.argv[2];
const port = process.env['PORT'];
if (!port || (mode !== 'built' && mode !== 'dev')) throw new Error('usage: PORT=<port> node serve.mjs built|dev');

const serverEntry = join(appDir, 'dist/analog/server/index.mjs');
if (mode === 'built' && !existsSync(serverEntry)) {
  throw new Error(
    `${serverEntry} is missing: build the example first (node scripts/pack-example.mjs, then vite build in examples/analog-app).`,
  );
}

const redis = await startRedis();
const args =
  mode === 'built'
    ? [serverEntry]
    : [join(repoRoot, 'node_modules/vite/bin/vite.js'), '--port', port, '--strictPort', '--host', '127.0.0.1'];
const server = spawn(process.execPath, args, {
  cwd: appDir,
  stdio: 'inherit',
  env: {
    ...process.env,
    NODE_ENV: mode === 'built' ? 'production' : 'development',
    HOST: '127.0.0.1',
    PORT: port,
    REDIS_URL: redis.url,
    SESSION_SECRET: process.env['SESSION_SECRET'] ?? 'example-e2e-only-secret-0123456789abcdefghijklmnop',
  },
});

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  if (server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await redis.stop();
  process.exit(code);
}
server.once('exit', (code) => void stop(code ?? 1));
process.once('SIGTERM', () => void stop(0));
process.once('SIGINT', () => void stop(0));
