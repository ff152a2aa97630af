// Every ```ts block of the READMEs type-checks against the library's source; blocks marked ```ts run are
// also executed, and when one default-exports an h3 handler it is served and answers a real request.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createApp, defineEventHandler, isEventHandler } from 'h3';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM helper shared with e2e/ and bench/
import { startRedis } from '../../../tools/redis-server.mjs';
import { defineSessionMiddleware } from '../src/index';
import { Client, serve } from './support/http';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const out = join(root, 'tmp/readme-examples');
const READMES = ['README.md', 'projects/session/README.md', 'docs/session-lifecycle.md'];

/** Names the non-runnable fragments use without defining them (module scope, so `event` shadows the DOM's). */
const PRELUDE = `declare const event: import('h3').H3Event;
declare const store: import('unstorage').Storage;
declare const user: { id: string; name: string };
declare const itemId: string;
interface CartSession { items?: string[]; coupon?: string }
declare function verifyPassword(username: string, password: string): Promise<{ id: string; name: string } | null>;`;

interface Block {
  readme: string;
  index: number;
  run: boolean;
  code: string;
  file: string;
}

const blocks: Block[] = READMES.flatMap((readme) => {
  const text = readFileSync(join(root, readme), 'utf8');
  return [...text.matchAll(/```ts( run)?\n([\s\S]*?)```/g)].map((match, index) => ({
    readme,
    index,
    run: Boolean(match[1]),
    code: match[2],
    file: join(out, `${readme.replace(/[/.]/g, '_')}_${index}.ts`),
  }));
});

beforeAll(() => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const block of blocks) writeFileSync(block.file, `${block.run ? '' : PRELUDE}${block.code}\nexport {};\n`);
});

it('finds the README examples', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(10);
  expect(blocks.filter((b) => b.run).length).toBeGreaterThanOrEqual(6);
});

it('type-checks every ts block against the library source', () => {
  const program = ts.createProgram(
    blocks.map((b) => b.file),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ES2022,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(root, 'node_modules/@types')],
      baseUrl: root,
      paths: { '@analog-tools/session': ['projects/session/src/index.ts'] },
    },
  );
  const problems = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file?.fileName.startsWith(out))
    .map((d) => {
      const block = blocks.find((b) => b.file === d.file!.fileName);
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      return `${block?.readme ?? d.file!.fileName} block ${block?.index} line ${line + 1}: ${text}`;
    });
  expect(problems).toEqual([]);
});

describe('runnable README blocks', () => {
  let redis: { url: string; stop(): Promise<void> };
  beforeAll(async () => {
    redis = await startRedis();
    process.env['REDIS_URL'] = redis.url;
    process.env['SESSION_SECRET'] = 'readme-examples-secret-0123456789-abc';
  });
  afterAll(() => redis?.stop());

  for (const block of blocks.filter((b) => b.run)) {
    it(`${block.readme} block ${block.index} runs`, async () => {
      const module = (await import(/* @vite-ignore */ pathToFileURL(block.file).href)) as {
        default?: unknown;
        store?: { dispose(): Promise<void> };
      };
      if (isEventHandler(module.default)) {
        const app = createApp();
        const firstLine = block.code.split('\n')[0];
        if (firstLine.includes('/middleware/')) {
          // a middleware lets the request through to the route behind it
          app.use(module.default);
          app.use(
            '/',
            defineEventHandler(() => ({ reached: true })),
          );
        } else {
          // route handlers run behind the session middleware, as in an Analog app
          app.use(defineSessionMiddleware({ store: (await import('unstorage')).createStorage(), secret: process.env['SESSION_SECRET']! }));
          app.use('/', module.default);
        }
        const server = await serve(app);
        try {
          const client = new Client(server.url);
          // the method the file name promises (Analog's `*.get.ts` / `*.post.ts`), POST when it names none
          const response = await client.request('/', { method: /\.get\.ts\b/.test(firstLine) ? 'GET' : 'POST' });
          expect(response.status, await response.clone().text()).toBe(200);
        } finally {
          await server.close();
        }
      }
      await module.store?.dispose();
    });
  }
});
