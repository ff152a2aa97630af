// Serves an example app (examples/analog-app, or the app named second) for the Playwright suite, on a real Redis
// started on a free port: `node serve.mjs built [app]` runs the built Nitro server (dist/analog/server/index.mjs),
// `node serve.mjs dev [app]` the app's Vite dev server. PORT comes from the environment. Both processes stop when
// this one gets SIGTERM/SIGINT.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedis } from '../../../tools/redis-server.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const [mode, app = 'analog-app'] = process.argv.slice(2);
const appDir = join(here, '../..', app);
const port = process.env['PORT'];
if (!port || (mode !== 'built' && mode !== 'dev') || !existsSync(appDir)) {
  throw new Error('usage: PORT=<port> node serve.mjs built|dev [analog-app|analog-app-angular-22]');
}

const serverEntry = join(appDir, 'dist/analog/server/index.mjs');
if (mode === 'built' && !existsSync(serverEntry)) {
  throw new Error(`${serverEntry} is missing: build the app first (npm run pack:tarballs, then node scripts/consumer-apps.mjs ${app}).`);
}

const redis = await startRedis();
console.log(`serving examples/${app} (${mode}) on Node ${process.version}`);
const args =
  mode === 'built' ? [serverEntry] : [join(appDir, 'node_modules/vite/bin/vite.js'), '--port', port, '--strictPort', '--host', '127.0.0.1'];
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
