// The root README's "Use it in your Analog app" shows files of examples/analog-app, the app that npm test builds
// from the packed packages and drives in Chromium. Each README block whose first line names a file
// (`// src/server/middleware/session.ts: ...`) must be that file, character for character, and every file of
// the app that uses the kit must be shown: what users copy is what CI runs.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '..');
const appDir = join(import.meta.dirname, 'analog-app');
const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

/** README blocks that name an app file on their first line, keyed by that path. */
const shown = new Map<string, string>();
for (const [, code] of readme.matchAll(/^```[a-z]*\n([\s\S]*?)^```$/gm)) {
  const path = /^\/\/ ([\w./-]+\.(?:ts|json))(?::.*)?$/m.exec(code.split('\n', 1)[0])?.[1];
  if (path) shown.set(path, code);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

it('finds the app files in the README', () => {
  expect([...shown.keys()]).toEqual(expect.arrayContaining(['src/server/middleware/session.ts', 'src/app/app.config.ts']));
});

it.each([...shown.keys()])('the README block of %s is the example app file', (path) => {
  expect(shown.get(path)).toBe(readFileSync(join(appDir, path), 'utf8'));
});

it('shows every file of the app that uses @analog-tools/*', () => {
  const users = filesUnder(join(appDir, 'src'))
    .filter((file) => readFileSync(file, 'utf8').includes('@analog-tools/'))
    .map((file) => relative(appDir, file));
  expect(users.length).toBeGreaterThanOrEqual(8);
  expect(users.filter((path) => !shown.has(path))).toEqual([]);
});
