// The package a user installs: built by scripts/build-session.mjs, packed by npm, imported by plain Node.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import * as source from '../src/index';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const dist = join(root, 'dist/session');

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts/build-session.mjs')], { cwd: root, stdio: 'pipe' });
}, 60_000);

it('npm pack contains the bundle, its declarations, the manifest, README and LICENSE', () => {
  const [report] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: dist, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
  );
  const files = (report.files as { path: string }[]).map((f) => f.path).sort();
  expect(report.name).toBe('@analog-tools/session');
  for (const file of ['index.js', 'index.d.ts', 'use-session.d.ts', 'core/config.d.ts', 'package.json', 'README.md', 'LICENSE']) {
    expect(files).toContain(file);
  }
  expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
});

it('the built ESM bundle imports in plain Node with the same exports as the source, peers kept external', () => {
  const script = `import('${join(dist, 'index.js')}').then((m) => console.log(JSON.stringify(Object.keys(m).sort())))`;
  const keys = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
  expect(keys).toEqual(Object.keys(source).sort());
  const manifest = JSON.parse(
    execFileSync(process.execPath, ['-p', `JSON.stringify(require('${join(dist, 'package.json')}'))`], { encoding: 'utf8' }),
  );
  expect(manifest.peerDependencies).toMatchObject({ h3: expect.any(String), unstorage: expect.any(String), ioredis: '^5.4.2' });
  expect(manifest.peerDependenciesMeta).toEqual({ ioredis: { optional: true } });
  expect(manifest.engines).toEqual({ node: '>=20.19' });
  expect(manifest.repository).toMatchObject({ type: 'git', url: expect.stringContaining('github.com/'), directory: 'projects/session' });
  expect(manifest).toMatchObject({ homepage: expect.stringMatching(/^https:/), bugs: { url: expect.stringMatching(/^https:/) } });
  expect(manifest.exports['.']).toMatchObject({ types: './index.d.ts', import: './index.js' });
});

/**
 * A throwaway consumer of the packed tarball (extracted as npm would install it; h3 and unstorage resolve
 * from the workspace), type-checked under each module resolution apps use. It also asserts that no export is
 * `any`, which is what a declaration that fails to resolve becomes in an app with skipLibCheck.
 */
describe('declarations of the packed package', () => {
  const consumer = join(root, 'tmp/session-package-consumer');
  const typeNames = [...readFileSync(join(root, 'projects/session/src/index.ts'), 'utf8').matchAll(/\btype (\w+)/g)].map((m) => m[1]);
  const typeArguments: Record<string, string> = { SessionSummary: '<{ user: string }>' };

  beforeAll(() => {
    rmSync(consumer, { recursive: true, force: true });
    const installed = join(consumer, 'node_modules/@analog-tools/session');
    mkdirSync(installed, { recursive: true });
    const [report] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', consumer], {
        cwd: dist,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    );
    execFileSync('tar', ['-xzf', join(consumer, report.filename), '-C', installed, '--strip-components=1']);
    writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    writeFileSync(
      join(consumer, 'consumer.ts'),
      [
        "import * as session from '@analog-tools/session';",
        `import type { ${typeNames.join(', ')} } from '@analog-tools/session';`,
        'type IsAny<T> = 0 extends 1 & T ? true : false;',
        'type AnyValues = { [K in keyof typeof session]: IsAny<(typeof session)[K]> extends true ? K : never }[keyof typeof session];',
        "export const noValueIsAny: [AnyValues] extends [never] ? 'ok' : AnyValues = 'ok';",
        ...typeNames.map((name) => `export const type_${name}: IsAny<${name}${typeArguments[name] ?? ''}> = false;`),
        "export const handler = session.defineSessionMiddleware({ store: session.createUnstorageStore({ type: 'memory' }), secret: 'x' });",
        '',
      ].join('\n'),
    );
  }, 60_000);

  it.each([
    ['Node16', 'Node16'],
    ['NodeNext', 'NodeNext'],
    ['Bundler', 'ESNext'],
  ] as const)(
    'every export has its real type under moduleResolution %s',
    (moduleResolution, module) => {
      // Library checking on, for the consumer and this package's files only: other packages' declarations reach
      // optional peers that are not installed here, and checking them all takes a minute.
      const program = ts.createProgram([join(consumer, 'consumer.ts')], {
        module: ts.ModuleKind[module],
        moduleResolution: ts.ModuleResolutionKind[moduleResolution],
        target: ts.ScriptTarget.ES2022,
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(root, 'node_modules/@types')],
      });
      const problems = program
        .getSourceFiles()
        .filter((file) => file.fileName.startsWith(consumer))
        .flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)])
        .map((d) => `${d.file?.fileName.slice(consumer.length) ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
      expect(problems).toEqual([]);
      expect(typeNames.length).toBeGreaterThanOrEqual(10);
    },
    60_000,
  );
});
