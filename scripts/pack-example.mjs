// Installs the packed libraries (dist/packages/*.tgz, made by scripts/pack-packages.mjs) into examples/consumer-types,
// whose type check (examples/consumer-types.spec.ts) must see exactly what npm would ship. That package has no
// dependencies of its own, so nothing else is installed; --legacy-peer-deps keeps npm from adding Angular and h3
// as auto-installed peers (the type check resolves them from the repo's root node_modules). Peer ranges are checked
// where a user meets them: the example apps install the same tarballs with a plain `npm install`
// (scripts/consumer-apps.mjs, including examples/analog-app and its Angular 22 twin).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(root, 'dist/packages');
const typesDir = join(root, 'examples/consumer-types');
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

for (const path of [join(typesDir, 'node_modules'), join(typesDir, 'package-lock.json')]) {
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
      'No peer dependency may be auto-installed here: a second copy of Angular or h3 breaks the type check.',
  );
}
console.log(`installed into examples/consumer-types: ${installed.join(', ')}`);
