// Builds @analog-tools/session into dist/session: two ESM bundles (esbuild), type declarations (tsc), the package
// manifest and the README. Peer dependencies (optional ones too) and unstorage's drivers stay external. index.js loads any driver;
// index.worker.js (export conditions `workerd` and `worker`) has the driver table of stores/worker-driver-loaders.ts:
// a Worker is bundled into one file, where every driver of the full table would land (ioredis, node:fs, peers).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const project = join(root, 'projects/session');
const out = join(root, 'dist/session');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const bundle = {
  entryPoints: [join(project, 'src/index.ts')],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  // @opentelemetry/api: an optional peer, imported (dynamically) only when installed (stores/telemetry.ts).
  external: ['h3', 'unstorage', 'unstorage/*', 'node:*', '@opentelemetry/api'],
  logLevel: 'warning',
};
await build({ ...bundle, outfile: join(out, 'index.js') });
// The Workers build: the Worker driver table, and no other driver import left for wrangler to follow (the
// 0.0.3 API's RedisSessionStore imports the redis driver itself): such an import fails when it runs.
const workerDrivers = readFileSync(join(project, 'src/stores/worker-driver-loaders.ts'), 'utf8');
const workerDriverTable = {
  name: 'worker-driver-table',
  setup(build) {
    build.onResolve({ filter: /^\.\/driver-loaders$/ }, (args) => ({ path: join(args.resolveDir, 'worker-driver-loaders.ts') }));
    build.onResolve({ filter: /^unstorage\/drivers\// }, (args) =>
      workerDrivers.includes(`import('${args.path}')`)
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'not-on-workers' },
    );
    build.onLoad({ filter: /.*/, namespace: 'not-on-workers' }, (args) => {
      const message = `${args.path}: not in the Workers build of @analog-tools/session (it needs Node or a package of its own).`;
      return { contents: `throw new Error(${JSON.stringify(message)});`, loader: 'js' };
    });
  },
};
await build({ ...bundle, outfile: join(out, 'index.worker.js'), plugins: [workerDriverTable] });
execFileSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(project, 'tsconfig.lib.json'), '--emitDeclarationOnly'],
  {
    stdio: 'inherit',
  },
);
addDeclarationExtensions(out);
copyFileSync(join(project, 'package.json'), join(out, 'package.json'));
copyFileSync(join(project, 'README.md'), join(out, 'README.md'));
mkdirSync(join(out, 'sql'), { recursive: true });
for (const file of ['analog_sessions.sql', 'analog_sessions.mariadb.sql']) copyFileSync(join(project, 'sql', file), join(out, 'sql', file));
copyFileSync(join(root, 'LICENSE'), join(out, 'LICENSE'));
console.log(`built ${out}`);

/**
 * The sources import './lib/x' without an extension (moduleResolution bundler). The package is ESM
 * ("type": "module"), so under node16 / nodenext every relative specifier of a declaration needs its `.js`
 * (TS2834, and with skipLibCheck every export silently becomes `any`). Bundlers accept it too.
 */
function addDeclarationExtensions(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = join(dir, entry.name);
    if (entry.isDirectory()) {
      addDeclarationExtensions(file);
      continue;
    }
    if (!entry.name.endsWith('.d.ts')) continue;
    const text = readFileSync(file, 'utf8');
    const rewritten = text.replace(
      /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.{1,2}\/[^'"]*)\2/g,
      (match, lead, quote, specifier) => {
        if (/\.(js|mjs|cjs|json)$/.test(specifier)) return match;
        const target = resolve(dirname(file), specifier);
        if (existsSync(`${target}.d.ts`)) return `${lead}${quote}${specifier}.js${quote}`;
        if (existsSync(join(target, 'index.d.ts'))) return `${lead}${quote}${specifier}/index.js${quote}`;
        throw new Error(`${file}: cannot resolve the declaration of ${specifier}`);
      },
    );
    if (rewritten !== text) writeFileSync(file, rewritten);
  }
}
