// The package a user installs: built by scripts/build-session.mjs, packed by npm, imported by plain Node.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import * as source from '../src/index';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const dist = join(root, 'dist/session');

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts/build-session.mjs')], { cwd: root, stdio: 'pipe' });
}, 60_000);

it('npm pack contains the bundle, its declarations, the manifest, README and LICENSE', () => {
  const [report] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: dist, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const files = (report.files as { path: string }[]).map((f) => f.path).sort();
  expect(report.name).toBe('@analog-tools/session');
  for (const file of ['index.js', 'index.d.ts', 'lib/use-session.d.ts', 'lib/session-config.d.ts', 'package.json', 'README.md', 'LICENSE']) {
    expect(files).toContain(file);
  }
  expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
});

it('the built ESM bundle imports in plain Node with the same exports as the source, peers kept external', () => {
  const script = `import('${join(dist, 'index.js')}').then((m) => console.log(JSON.stringify(Object.keys(m).sort())))`;
  const keys = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
  expect(keys).toEqual(Object.keys(source).sort());
  const manifest = JSON.parse(execFileSync(process.execPath, ['-p', `JSON.stringify(require('${join(dist, 'package.json')}'))`], { encoding: 'utf8' }));
  expect(manifest.peerDependencies).toMatchObject({ h3: expect.any(String), unstorage: expect.any(String) });
  expect(manifest.exports['.']).toMatchObject({ types: './index.d.ts', import: './index.js' });
});
