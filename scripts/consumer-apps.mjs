// Installs and builds the consumer apps of examples/ the way a user would: each app's own lockfile (`npm ci`),
// then the packed package (dist/packages/*.tgz, from scripts/pack-packages.mjs) with a plain `npm install`, so
// a peer range that does not accept the app's h3 or unstorage fails here as it would for a user. The tarball is
// installed with --no-save: its integrity changes with every build, so a lockfile entry for it would break
// `npm ci`. Nitro apps are built with no SESSION_SECRET and a REDIS_URL nobody listens on, so a prerendered
// page that touched the store or the secret would fail the build.
//
//   node scripts/consumer-apps.mjs              every app, in parallel
//   node scripts/consumer-apps.mjs nitro-app    only that one
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tarball = join(root, 'dist/packages/analog-tools-session-0.1.0.tgz');

/** Each app: its build command, and for variants the files they share with another app (copied before install). */
export const CONSUMER_APPS = {
  'h3-app': { build: ['npx', 'tsc', '-p', 'tsconfig.json'], singleH3: false },
  // The same app on h3 v1, which the package keeps serving: the control that shows the drivers can pass.
  'h3-v1-app': { build: ['npx', 'tsc', '-p', 'tsconfig.json'], singleH3: false },
  'nitro-app': { build: ['npx', 'nitro', 'build'], singleH3: true },
  // nitro@3.0.0 (npm's `latest`): only its config, plugin and middleware differ (other import paths, `srcDir`).
  'nitro-app-3.0.0': { build: ['npx', 'nitro', 'build'], singleH3: true, shared: { from: 'nitro-app', paths: ['server/routes'] } },
};

const sha256 = (buffer) => createHash('sha256').update(buffer).digest('hex');

async function step(log, label, command, args, options) {
  const started = performance.now();
  try {
    await run(command, args, { maxBuffer: 64 * 1024 * 1024, ...options });
  } catch (error) {
    throw new Error(`${label} failed: ${command} ${args.join(' ')}\n${error.stdout ?? ''}${error.stderr ?? ''}`, { cause: error });
  }
  log.push(`${label} ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Every h3 in the app's tree, as `version (path)`: Nitro apps must have exactly one. */
async function h3Copies(cwd) {
  const { stdout } = await run('npm', ['ls', 'h3', '--all', '--json', '--long'], { cwd, maxBuffer: 16 * 1024 * 1024 }).catch((e) => e);
  const copies = new Set();
  const walk = (node) => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      if (name === 'h3' && child.path) copies.add(`${child.version} (${child.path})`);
      walk(child);
    }
  };
  walk(JSON.parse(stdout));
  return [...copies];
}

export async function prepareApp(name) {
  const app = CONSUMER_APPS[name];
  const cwd = join(root, 'examples', name);
  const log = [];
  const started = performance.now();
  if (app.shared) {
    for (const path of app.shared.paths) {
      rmSync(join(cwd, path), { recursive: true, force: true });
      cpSync(join(root, 'examples', app.shared.from, path), join(cwd, path), { recursive: true });
    }
  }
  for (const output of ['dist', '.output', '.nitro']) rmSync(join(cwd, output), { recursive: true, force: true });
  const npmFlags = ['--no-audit', '--no-fund', '--prefer-offline'];
  await step(log, 'npm ci', 'npm', ['ci', ...npmFlags], { cwd });
  await step(log, 'npm install <tarball>', 'npm', ['install', '--no-save', ...npmFlags, tarball], { cwd });

  // The installed package must be this build's, not a copy npm kept from an earlier tarball.
  const packed = (await run('tar', ['-xzOf', tarball, 'package/index.js'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 })).stdout;
  const installed = readFileSync(join(cwd, 'node_modules/@analog-tools/session/index.js'));
  if (sha256(packed) !== sha256(installed)) throw new Error(`${name}: node_modules/@analog-tools/session is not the fresh tarball`);
  if (app.singleH3) {
    const copies = await h3Copies(cwd);
    if (copies.length !== 1) throw new Error(`${name}: expected one h3, npm ls finds ${copies.length}: ${copies.join(', ')}`);
    log.push(`h3 ${copies[0].split(' ')[0]}`);
  }

  const env = { ...process.env, REDIS_URL: 'redis://127.0.0.1:9' };
  delete env.SESSION_SECRET;
  await step(log, 'build', app.build[0], app.build.slice(1), { cwd, env });
  console.log(`examples/${name}: ${log.join(', ')}; ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!existsSync(tarball)) throw new Error(`${tarball} is missing: run npm run pack:tarballs first.`);
  const names = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(CONSUMER_APPS);
  const unknown = names.filter((name) => !(name in CONSUMER_APPS));
  if (unknown.length > 0) throw new Error(`unknown app ${unknown.join(', ')}; known: ${Object.keys(CONSUMER_APPS).join(', ')}`);
  const results = await Promise.allSettled(names.map(prepareApp));
  const failed = results.filter((result) => result.status === 'rejected');
  for (const { reason } of failed) console.error(reason.message);
  if (failed.length > 0) process.exit(1);
}
