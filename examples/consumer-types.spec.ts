// The packed packages, as installed by scripts/pack-example.mjs, type-check in a consumer's file under
// "moduleResolution": "nodenext" and "bundler", and that file names every export of both packages.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';

const dir = join(import.meta.dirname, 'consumer-types');
const file = join(dir, 'uses-every-export.ts');
const PACKAGES = ['@analog-tools/session', '@analog-tools/session-angular'];
/** Every entry point of the packages, secondary ones included. */
const ENTRY_POINTS = [...PACKAGES, '@analog-tools/session-angular/analog'];

const programs = new Map<string, ts.Program>();

/** The compiled consumer file under one of its tsconfigs (built once per config: each build takes seconds). */
function program(config: string): ts.Program {
  const cached = programs.get(config);
  if (cached) return cached;
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(dir, config),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  )!;
  const built = ts.createProgram(parsed.fileNames, parsed.options);
  programs.set(config, built);
  return built;
}

function problems(built: ts.Program): string[] {
  return ts.getPreEmitDiagnostics(built).map((d) => {
    const where = d.file ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
  });
}

beforeAll(() => {
  for (const name of PACKAGES) {
    if (!existsSync(join(dir, 'node_modules', name, 'package.json'))) {
      throw new Error(
        `${name} is not installed in examples/consumer-types: run npm run build:session, npm run build:session-angular, ` +
          'then node scripts/pack-example.mjs (npm test does all three).',
      );
    }
  }
});

describe.each(['nodenext', 'bundler'])('under "moduleResolution": "%s"', (resolution) => {
  it('the consumer file compiles, so every export resolves and none is any', () => {
    expect(problems(program(`tsconfig.${resolution}.json`))).toEqual([]);
  });
});

it('the consumer file names every export, types included', () => {
  const built = program('tsconfig.bundler.json');
  const checker = built.getTypeChecker();
  const source = built.getSourceFile(file)!;
  const text = readFileSync(file, 'utf8');
  const missing: string[] = [];
  let modules = 0;
  source.forEachChild((node) => {
    if (!ts.isImportDeclaration(node) || !ts.isStringLiteral(node.moduleSpecifier) || !ENTRY_POINTS.includes(node.moduleSpecifier.text))
      return;
    const module = checker.getSymbolAtLocation(node.moduleSpecifier);
    if (!module) throw new Error(`${node.moduleSpecifier.text} does not resolve`);
    modules += 1;
    for (const exported of checker.getExportsOfModule(module)) {
      if (!new RegExp(`\\b${exported.name}\\b`).test(text)) missing.push(`${node.moduleSpecifier.text}: ${exported.name}`);
    }
  });
  expect(modules).toBeGreaterThanOrEqual(ENTRY_POINTS.length);
  expect(missing).toEqual([]);
});
