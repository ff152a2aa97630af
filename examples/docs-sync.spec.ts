// Pages that show an example app's files: docs/analog.md (examples/analog-app), docs/h3.md (examples/h3-app),
// docs/workers.md (examples/worker-app), docs/nitro.md (examples/nitro-app, and the files nitro@3.0.0 needs
// differently, examples/nitro-app-3.0.0) and docs/nuxt.md (examples/nuxt-app). npm test builds and drives each of
// these apps from the packed packages. Each code block whose first line names a file
// (`// src/server/middleware/session.ts: ...`, `<!-- app/pages/index.vue: ... -->`, or
// `// nitro.config.ts (nitro@3.0.0): ...` for a variant's file) must be that file, character for character, and
// every file of the app that uses the kit must be shown: what users copy is what CI runs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const repoRoot = join(import.meta.dirname, '..');

interface Page {
  page: string;
  /** App folder per variant label; '' is the app a block without a label belongs to. */
  apps: Record<string, string>;
  /** Folders (per app) whose files that import @analog-tools/* must all be shown. */
  sources: string[];
  /** Files the page must show, as `label|path`. */
  required: string[];
  /** At least this many files of the apps use the kit (catches a wrong `sources`). */
  minUsers: number;
}

const PAGES: Page[] = [
  {
    page: 'docs/analog.md',
    // The Angular 22 twin's other files are copies of examples/analog-app's (scripts/consumer-apps.mjs).
    apps: { '': 'examples/analog-app', 'angular@22': 'examples/analog-app-angular-22' },
    sources: ['src'],
    required: ['|src/server/middleware/session.ts', '|src/app/app.config.ts', 'angular@22|src/app/app.config.ts'],
    minUsers: 8,
  },
  {
    page: 'docs/h3.md',
    apps: { '': 'examples/h3-app' },
    sources: ['src'],
    required: ['|src/session.ts', '|src/app.ts', '|src/server.ts'],
    minUsers: 3,
  },
  {
    page: 'docs/workers.md',
    apps: { '': 'examples/worker-app' },
    sources: ['src'],
    required: ['|src/session.ts', '|src/worker.ts', '|src/login.ts'],
    minUsers: 3,
  },
  {
    page: 'docs/nitro.md',
    apps: { '': 'examples/nitro-app', 'nitro@3.0.0': 'examples/nitro-app-3.0.0' },
    // server/routes of the 3.0.0 variant are copies of nitro-app's (scripts/consumer-apps.mjs), not its own files.
    sources: ['server/middleware', 'server/plugins', 'server/routes'],
    required: [
      '|nitro.config.ts',
      '|server/plugins/session-storage.ts',
      'nitro@3.0.0|nitro.config.ts',
      'nitro@3.0.0|server/middleware/session.ts',
    ],
    minUsers: 10,
  },
  {
    page: 'docs/nuxt.md',
    apps: { '': 'examples/nuxt-app' },
    sources: ['server', 'app'],
    required: ['|nuxt.config.ts', '|server/plugins/session-storage.ts', '|server/middleware/session.ts', '|app/pages/index.vue'],
    minUsers: 8,
  },
];

/** Blocks that name an app file on their first line, keyed by `label|path`. */
function shownFiles(markdown: string): Map<string, string> {
  const shown = new Map<string, string>();
  for (const [, code] of markdown.matchAll(/^```[a-z]*\n([\s\S]*?)^```$/gm)) {
    const match = /^(?:\/\/|<!--) ([\w./-]+\.(?:ts|json|vue))(?: \(([\w@.-]+)\))?(?::.*)?$/.exec(code.split('\n', 1)[0]);
    if (match) shown.set(`${match[2] ?? ''}|${match[1]}`, code);
  }
  return shown;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The app's own files (a variant's copies of another app's files are not its own). */
function ownFiles(app: string, folder: string): string[] {
  const ignore = join(repoRoot, app, '.gitignore');
  const ignored = existsSync(ignore)
    ? readFileSync(ignore, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('/'))
    : [];
  return filesUnder(join(repoRoot, app, folder))
    .map((file) => relative(join(repoRoot, app), file))
    .filter((path) => !ignored.some((prefix) => `/${path}`.startsWith(prefix)));
}

describe.each(PAGES)('$page', ({ page, apps, sources, required, minUsers }) => {
  const shown = shownFiles(readFileSync(join(repoRoot, page), 'utf8'));

  it('shows the files it must', () => {
    expect([...shown.keys()]).toEqual(expect.arrayContaining(required));
  });

  it.each([...shown.keys()])('the block of %s is the app file', (key) => {
    const [label, path] = key.split('|');
    expect(apps[label], `no app for the label (${label})`).toBeDefined();
    expect(shown.get(key)).toBe(readFileSync(join(repoRoot, apps[label], path), 'utf8'));
  });

  it('shows every file of the apps that uses @analog-tools/*', () => {
    const users = Object.entries(apps).flatMap(([label, app]) =>
      sources
        .flatMap((folder) => ownFiles(app, folder))
        .filter((path) => readFileSync(join(repoRoot, app, path), 'utf8').includes('@analog-tools/'))
        .map((path) => `${label}|${path}`),
    );
    expect(users.length).toBeGreaterThanOrEqual(minUsers);
    expect(users.filter((key) => !shown.has(key))).toEqual([]);
  });
});
