// Packs both libraries with `npm pack` (dist/packages/*.tgz) and installs the TARBALLS the way a user of
// examples/analog-app would get them, so the example and the type check see exactly what npm would ship.
// npm installs them into examples/consumer-types (a package with no dependencies of its own, so nothing else
// is installed, and with --legacy-peer-deps so npm adds no second Angular/h3 as auto-installed peers); the two
// installed packages are then copied into examples/analog-app/node_modules. Everything else (Angular, Analog,
// Vite, h3, unstorage) resolves from the repo's root node_modules, like in any app inside a monorepo.
// Run after `npm run build:session && npm run build:session-angular`.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(root, 'dist/packages');
const typesDir = join(root, 'examples/consumer-types');
const appDir = join(root, 'examples/analog-app');
const PACKAGES = ['session', 'session-angular'];

function npm(args, cwd) {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

function topLevelPackages(nodeModules) {
  if (!existsSync(nodeModules)) return [];
  return readdirSync(nodeModules)
    .filter((name) => !name.startsWith('.'))
    .flatMap((name) => (name.startsWith('@') ? readdirSync(join(nodeModules, name)).map((inner) => `${name}/${inner}`) : [name]))
    .sort();
}

rmSync(packagesDir, { recursive: true, force: true });
mkdirSync(packagesDir, { recursive: true });
const tarballs = PACKAGES.map((name) => {
  const built = join(root, 'dist', name);
  if (!existsSync(join(built, 'package.json'))) throw new Error(`${built} is missing: run npm run build:${name} first.`);
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', packagesDir], built));
  const file = join(packagesDir, packed.filename);
  console.log(`packed ${packed.name}@${packed.version}: ${packed.filename}, ${(statSync(file).size / 1024).toFixed(1)} kB packed, ` +
    `${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked, ${packed.entryCount} files`);
  return file;
});

for (const dir of [join(typesDir, 'node_modules'), join(typesDir, 'package-lock.json'), join(appDir, 'node_modules')]) {
  rmSync(dir, { recursive: true, force: true });
}
npm(['install', '--no-save', '--no-package-lock', '--legacy-peer-deps', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], typesDir);

const installed = topLevelPackages(join(typesDir, 'node_modules'));
const unexpected = installed.filter((name) => !name.startsWith('@analog-tools/') && name !== 'tslib');
if (unexpected.length > 0) {
  throw new Error(`npm installed more than the two packages and their own dependencies: ${unexpected.join(', ')}. ` +
    'A peer dependency must not be auto-installed here (second copies of Angular or h3 break the app).');
}
for (const name of PACKAGES) {
  cpSync(join(typesDir, 'node_modules/@analog-tools', name), join(appDir, 'node_modules/@analog-tools', name), { recursive: true });
}
console.log(`installed into examples/consumer-types: ${installed.join(', ')}`);
console.log(`installed into examples/analog-app: ${topLevelPackages(join(appDir, 'node_modules')).join(', ')}`);
