// `npm start`: builds the demo when its server bundle is missing or older than the sources, then runs the
// production server (dist/demo/server/index.mjs) and prints where it listens.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const serverEntry = join(root, 'dist/demo/server/index.mjs');
const sources = [
  'apps/demo',
  'projects/session/src',
  'projects/session-angular/src',
  'projects/session-angular/analog',
  'vite.config.ts',
  'package.json',
];
const SKIP = new Set(['node_modules', 'dist', '.data', '.angular', '.nitro', '.output']);

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (!SKIP.has(entry)) newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function needsBuild() {
  if (!existsSync(serverEntry)) return 'no build found';
  const built = statSync(serverEntry).mtimeMs;
  const changed = sources.find((source) => newestMtime(join(root, source)) > built);
  return changed ? `${changed} changed since the last build` : null;
}

function runNpm(script) {
  // Under `npm start`, npm_execpath points at npm's CLI: run it with this same Node.
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli ? [process.execPath, [npmCli, 'run', script]] : ['npm', ['run', script]];
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`[start-demo] npm run ${script} failed (exit code ${result.status ?? result.signal}).`);
    process.exit(result.status ?? 1);
  }
}

function waitForPort(port, host, child) {
  return new Promise((resolvePromise) => {
    const attempt = () => {
      if (child.exitCode !== null) return;
      const socket = connect({ port, host });
      socket.once('connect', () => {
        socket.end();
        resolvePromise();
      });
      socket.once('error', () => setTimeout(attempt, 100));
    };
    attempt();
  });
}

const reason = needsBuild();
if (reason) {
  console.log(`[start-demo] Building the demo (${reason})…`);
  const started = Date.now();
  runNpm('build:demo');
  console.log(`[start-demo] Built in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

const port = Number(process.env.NITRO_PORT || process.env.PORT || 3000);
const host = process.env.NITRO_HOST || process.env.HOST || '';
const child = spawn(process.execPath, [serverEntry], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: process.env.NODE_ENV || 'production', PORT: String(port) },
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill(signal);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));

await waitForPort(port, host && host !== '0.0.0.0' && host !== '::' ? host : 'localhost', child);
const shownHost = !host || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
// Mirrors apps/demo/src/server/utils/session-cookie.ts (the server refuses any value but unset, 'true', 'false').
const cookieLine =
  process.env.SESSION_COOKIE_SECURE === 'false'
    ? 'Session cookie: sid, not Secure (SESSION_COOKIE_SECURE=false). Unset it when serving over HTTPS.'
    : 'Session cookie: __Host-sid, Secure. Over plain HTTP on a host other than localhost, set SESSION_COOKIE_SECURE=false.';
console.log(
  `\n  Session demo ready at http://${shownHost}:${port}\n  Log in as ada / lovelace-demo. Press Ctrl+C to stop.\n  ${cookieLine}\n`,
);
