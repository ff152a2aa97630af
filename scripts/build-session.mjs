// Builds @analog-tools/session into dist/session: one ESM bundle (esbuild), type declarations (tsc),
// the package manifest and the README. Peer dependencies and unstorage's drivers stay external.
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
