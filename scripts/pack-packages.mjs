// Packs both built libraries with `npm pack` into dist/packages/*.tgz: what a release would publish, and what
// the root README tells users to install until there is one (`npm run pack:tarballs` builds first).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(root, 'dist/packages');

rmSync(packagesDir, { recursive: true, force: true });
mkdirSync(packagesDir, { recursive: true });
for (const name of ['session', 'session-angular']) {
  const built = join(root, 'dist', name);
  if (!existsSync(join(built, 'package.json'))) throw new Error(`${built} is missing: run npm run build:${name} first.`);
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', packagesDir], { cwd: built, encoding: 'utf8' });
  const [packed] = JSON.parse(output);
  const size = statSync(join(packagesDir, packed.filename)).size;
  console.log(
    `packed ${packed.name}@${packed.version}: dist/packages/${packed.filename}, ${(size / 1024).toFixed(1)} kB ` +
      `(${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked, ${packed.entryCount} files)`,
  );
}
