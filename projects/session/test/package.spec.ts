// The package a user installs: built by scripts/build-session.mjs, packed by npm, imported by plain Node.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
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
  for (const file of [
    'index.js',
    'index.worker.js',
    'index.d.ts',
    'use-session.d.ts',
    'core/config.d.ts',
    'package.json',
    'README.md',
    'LICENSE',
    'sql/analog_sessions.sql',
    'sql/analog_sessions.mariadb.sql',
  ]) {
    expect(files).toContain(file);
  }
  expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
});

it('the built ESM bundles import in plain Node with the same exports as the source, peers kept external', () => {
  for (const bundle of ['index.js', 'index.worker.js']) {
    const script = `import('${join(dist, bundle)}').then((m) => console.log(JSON.stringify(Object.keys(m).sort())))`;
    const keys = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }));
    expect(keys, bundle).toEqual(Object.keys(source).sort());
  }
  const manifest = JSON.parse(
    execFileSync(process.execPath, ['-p', `JSON.stringify(require('${join(dist, 'package.json')}'))`], { encoding: 'utf8' }),
  );
  expect(manifest.peerDependencies).toMatchObject({ h3: expect.any(String), unstorage: expect.any(String), ioredis: '^5.4.2' });
  expect(manifest.peerDependenciesMeta).toEqual({ '@opentelemetry/api': { optional: true }, ioredis: { optional: true } });
  expect(manifest.engines).toEqual({ node: '>=20.19' });
  expect(manifest.repository).toMatchObject({ type: 'git', url: expect.stringContaining('github.com/'), directory: 'projects/session' });
  expect(manifest).toMatchObject({ homepage: expect.stringMatching(/^https:/), bugs: { url: expect.stringMatching(/^https:/) } });
  expect(manifest.exports['.']).toMatchObject({ types: './index.d.ts', import: './index.js' });
  // Workers: wrangler and Cloudflare's presets resolve with these conditions, before `import`.
  expect(Object.keys(manifest.exports['.'])).toEqual(['types', 'workerd', 'worker', 'import', 'default']);
  expect(manifest.exports['.']).toMatchObject({ workerd: './index.worker.js', worker: './index.worker.js' });
});

it('imports @opentelemetry/api (an optional peer) only dynamically, when a request needs it, and bundles none of it', () => {
  for (const bundle of ['index.js', 'index.worker.js']) {
    const text = readFileSync(join(dist, bundle), 'utf8');
    expect(text.match(/\bimport\(\s*["']@opentelemetry\/api["']\s*\)/g), bundle).toHaveLength(1);
    expect(text, bundle).not.toMatch(/from\s*["']@opentelemetry\/api["']|^import\s*["']@opentelemetry|node_modules\/@opentelemetry/m);
  }
});

it('imports from unstorage only what both majors export (a missing named export fails the whole app at load)', async () => {
  const bundle = readFileSync(join(dist, 'index.js'), 'utf8');
  const named = [...bundle.matchAll(/import\s*\{([^}]*)\}\s*from\s*"unstorage"/g)].flatMap(([, list]) =>
    list.split(',').map((part) => part.trim().split(/\s+as\s+/)[0]!),
  );
  expect(named.length).toBeGreaterThan(0);
  for (const major of ['unstorage', 'unstorage2']) {
    const exported = Object.keys(await import(major));
    expect(
      named.filter((name) => !exported.includes(name)),
      major,
    ).toEqual([]);
  }
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

// A Worker (wrangler, or any bundler that splits dynamic imports) that uses Cloudflare KV bundles the KV driver,
// and loads neither ioredis nor node:fs: each driver is a chunk of its own, loaded only when asked for. Packages
// a driver needs that are not installed stay unresolved, as Rollup and Nitro leave them.
describe.each(['unstorage', 'unstorage2'])('a Worker bundle of the built package using cloudflare-kv-binding, on %s', (unstorage) => {
  const worker = `import { createUnstorageStore } from ${JSON.stringify(join(dist, 'index.js'))};
export default {
  async fetch(request, env) {
    const store = await createUnstorageStore({ type: 'cloudflare-kv-binding', options: { binding: env.SESSIONS } });
    return new Response(String(await store.hasItem('x')));
  },
};`;
  const unresolvedStaysExternal: Plugin = {
    name: 'unresolved-stays-external',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'inner') return undefined;
        const path = args.path.replace(/^unstorage(?=\/|$)/, unstorage);
        const resolved = await build.resolve(path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'inner',
        });
        return resolved.errors.length > 0 ? { path, external: true } : { path: resolved.path, external: resolved.external };
      });
    },
  };

  it('holds no ioredis and no node:fs in the chunks the Worker loads', async () => {
    const { outputFiles, metafile } = await build({
      stdin: { contents: worker, resolveDir: root, sourcefile: 'worker.js' },
      absWorkingDir: root,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      outdir: join(root, 'tmp/worker-bundle'),
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [unresolvedStaysExternal],
    });
    const outputs = Object.entries(metafile.outputs);
    const holding = (driver: string) =>
      outputs.find(([, out]) => Object.keys(out.inputs).some((input) => input.includes(`/drivers/${driver}.`)))?.[0];
    // What the Worker loads: its entry, the KV driver's chunk, and the chunks these import statically.
    const loaded = new Set<string>();
    const visit = (file: string | undefined) => {
      if (!file || loaded.has(file)) return;
      loaded.add(file);
      for (const imported of metafile.outputs[file]!.imports)
        if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
    };
    const entry = outputs.find(([, out]) => out.entryPoint === 'worker.js')?.[0];
    const kvChunk = holding('cloudflare-kv-binding');
    expect(entry).toBeDefined();
    expect(kvChunk).toBeDefined();
    visit(entry);
    visit(kvChunk);
    const text = (file: string) => outputFiles.find((out) => out.path === join(root, file))!.text;
    for (const file of loaded) {
      expect(Object.keys(metafile.outputs[file]!.inputs).filter((input) => input.includes('ioredis'))).toEqual([]);
      expect(metafile.outputs[file]!.imports.filter((imported) => /^(node:)?fs(\/|$)/.test(imported.path))).toEqual([]);
      expect(text(file)).not.toMatch(/ioredis|node:fs/);
    }
    // The test sees them where they are: in the redis and fs drivers' chunks, which the Worker never loads.
    const redisChunk = holding('redis');
    expect(redisChunk && !loaded.has(redisChunk) && text(redisChunk)).toMatch(/ioredis/);
    const fsChunk = holding('fs');
    expect(fsChunk && !loaded.has(fsChunk) && metafile.outputs[fsChunk]!.imports.map((imported) => imported.path)).toContain('node:fs');
  }, 60_000);
});

// wrangler bundles a Worker into ONE file (esbuild, no code splitting), resolving with the conditions `workerd`,
// `worker` and `browser`: the package then gives its Workers build, whose driver table holds only drivers that run
// there. Node's built-ins do not resolve (as without nodejs_compat), and neither do packages that are not installed.
describe.each(['unstorage', 'unstorage2'])('a single-file Worker bundle using cloudflare-kv-binding, on %s', (unstorage) => {
  const app = join(root, 'tmp/worker-single-file');
  const worker = `import { createUnstorageStore, defineSessionMiddleware } from '@analog-tools/session';
const store = createUnstorageStore({ type: 'cloudflare-kv-binding', options: { binding: globalThis.SESSIONS } });
const config = { store, secret: () => 's' };
export default { fetch: (request) => defineSessionMiddleware(config) && new Response('ok') };`;
  const major: Plugin = {
    name: 'unstorage-major',
    setup(build) {
      build.onResolve({ filter: /^unstorage(\/|$)/ }, (args) =>
        args.pluginData === 'inner'
          ? undefined
          : build.resolve(args.path.replace(/^unstorage/, unstorage), { kind: args.kind, resolveDir: root, pluginData: 'inner' }),
      );
    },
  };
  const bundle = (conditions: string[]) =>
    build({
      stdin: { contents: worker, resolveDir: app, sourcefile: 'worker.js' },
      absWorkingDir: root,
      // The app's own tsconfig: the workspace's maps @analog-tools/session to the sources.
      tsconfig: join(app, 'tsconfig.json'),
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2024',
      conditions,
      mainFields: ['browser', 'module', 'main'],
      minify: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
      plugins: [major],
    });

  beforeAll(() => {
    rmSync(app, { recursive: true, force: true });
    mkdirSync(join(app, 'node_modules/@analog-tools'), { recursive: true });
    symlinkSync(dist, join(app, 'node_modules/@analog-tools/session'));
    writeFileSync(join(app, 'tsconfig.json'), '{}');
  });

  it('builds from the Workers build, with the KV driver and without ioredis or node:fs', async () => {
    const { outputFiles, metafile } = await bundle(['workerd', 'worker', 'browser']);
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((input) => input.endsWith('index.worker.js'))).toBe(true);
    expect(inputs.some((input) => /drivers\/cloudflare-kv-binding\.mjs$/.test(input))).toBe(true);
    expect(inputs.filter((input) => /ioredis|drivers\/(fs|redis)\.mjs$/.test(input))).toEqual([]);
    expect(outputFiles[0]!.text).not.toMatch(/ioredis|["']node:fs["']/);
    expect(outputFiles).toHaveLength(1);
  });

  it('(the control) the default build in one file fails to build or carries node:fs', async () => {
    const built = await bundle([]).then(
      ({ outputFiles }) => outputFiles[0]!.text,
      (error: Error) => error.message,
    );
    expect(built).toMatch(/ioredis|Could not resolve|["']node:fs["']/);
  });
});
