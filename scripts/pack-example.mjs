// Installs the packed libraries (dist/packages/*.tgz, made by scripts/pack-packages.mjs) the way a user of
// examples/analog-app gets them, so the example and the type check see exactly what npm would ship.
// npm installs the tarballs into examples/consumer-types (a package with no dependencies of its own, so nothing
// else is installed, and with --legacy-peer-deps so npm adds no second Angular or h3 as auto-installed peers);
// the two installed packages are then copied into examples/analog-app/node_modules. Everything else (Angular,
// Analog, Vite, h3, unstorage) resolves from the repo's root node_modules, as in any app inside a monorepo.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(root, 'dist/packages');
const typesDir = join(root, 'examples/consumer-types');
const appDir = join(root, 'examples/analog-app');
const PACKAGES = ['session', 'session-angular'];

function topLevelPackages(nodeModules) {
  if (!existsSync(nodeModules)) return [];
  return readdirSync(nodeModules)
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => (name.startsWith('@') ? readdirSync(join(nodeModules, name)).map((inner) => `${name}/${inner}`) : [name]))
    .sort();
}

const tarballs = existsSync(packagesDir) ? readdirSync(packagesDir).filter((file) => file.endsWith('.tgz')) : [];
if (tarballs.length !== PACKAGES.length) {
  throw new Error(`Expected ${PACKAGES.length} tarballs in dist/packages, found ${tarballs.length}: run npm run pack:tarballs first.`);
}

// The example's package.json names the tarballs as `npm install <tarball>` writes them: keep it true.
const { dependencies } = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8'));
for (const name of PACKAGES) {
  const spec = dependencies[`@analog-tools/${name}`] ?? '';
  if (!spec.startsWith('file:') || !existsSync(resolve(appDir, spec.slice('file:'.length)))) {
    throw new Error(`examples/analog-app/package.json: "@analog-tools/${name}": "${spec}" does not name a tarball in dist/packages.`);
  }
}

for (const path of [join(typesDir, 'node_modules'), join(typesDir, 'package-lock.json'), join(appDir, 'node_modules')]) {
  rmSync(path, { recursive: true, force: true });
}
execFileSync(
  'npm',
  [
    'install',
    '--no-save',
    '--no-package-lock',
    '--legacy-peer-deps',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    ...tarballs.map((file) => join(packagesDir, file)),
  ],
  { cwd: typesDir, stdio: ['ignore', 'ignore', 'inherit'] },
);

const installed = topLevelPackages(join(typesDir, 'node_modules'));
const unexpected = installed.filter((name) => !name.startsWith('@analog-tools/') && name !== 'tslib');
if (unexpected.length > 0) {
  throw new Error(
    `npm installed more than the two packages and their own dependencies: ${unexpected.join(', ')}. ` +
      'No peer dependency may be auto-installed here: a second copy of Angular or h3 breaks the app.',
  );
}
for (const name of PACKAGES) {
  cpSync(join(typesDir, 'node_modules/@analog-tools', name), join(appDir, 'node_modules/@analog-tools', name), { recursive: true });
}
const inApp = topLevelPackages(join(appDir, 'node_modules'));
if (inApp.join() !== PACKAGES.map((name) => `@analog-tools/${name}`).join())
  throw new Error(`unexpected packages in the example: ${inApp.join(', ')}`);
console.log(`installed into examples/consumer-types: ${installed.join(', ')}; into examples/analog-app: ${inApp.join(', ')}`);
