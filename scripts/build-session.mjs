// Builds @analog-tools/session into dist/session: one ESM bundle (esbuild), type declarations (tsc),
// the package manifest and the README. Peer dependencies and unstorage's drivers stay external.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const project = join(root, 'projects/session');
const out = join(root, 'dist/session');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(project, 'src/index.ts')],
  outfile: join(out, 'index.js'),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  external: ['h3', 'unstorage', 'unstorage/*', 'node:*'],
  logLevel: 'warning',
});
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(project, 'tsconfig.lib.json'), '--emitDeclarationOnly'], {
  stdio: 'inherit',
});
copyFileSync(join(project, 'package.json'), join(out, 'package.json'));
copyFileSync(join(project, 'README.md'), join(out, 'README.md'));
copyFileSync(join(root, 'LICENSE'), join(out, 'LICENSE'));
console.log(`built ${out}`);
