// The server library's import rules (npm test runs this): no import cycle, type imports included; dependencies
// point one way through the layers (core <- stores <- http <- users <- api <- compat <- the entry files); `h3` is
// imported for types only; core/ imports neither `h3` nor a `node:` module. Prints every breach and exits 1.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'projects/session/src');
const LAYERS = ['core', 'stores', 'http', 'users', 'api', 'compat'];
/** Files directly under src/ (index.ts, use-session.ts) sit above every layer. */
const TOP = LAYERS.length;

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

function layerOf(file) {
  const [first, second] = relative(src, file).split('/');
  return second === undefined ? TOP : LAYERS.indexOf(first);
}

const files = sources(src);
const problems = [];
const graph = new Map();
for (const file of files) {
  const name = relative(src, file);
  if (layerOf(file) === -1) problems.push(`${name}: not in a known layer (${LAYERS.join(', ')})`);
  const text = readFileSync(file, 'utf8');
  const edges = [];
  for (const [statement, typeOnly, specifier] of text.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)';/gms)) {
    if (specifier === 'h3' && !typeOnly && !/^import\s+type\s/.test(statement)) {
      problems.push(`${name}: imports h3 at run time (types only: the library must not depend on which h3 npm resolved)`);
    }
    if (layerOf(file) === 0 && (specifier === 'h3' || specifier.startsWith('node:'))) {
      problems.push(`${name}: core/ imports '${specifier}' (core runs on every runtime and knows no event)`);
    }
    if (!specifier.startsWith('.')) continue;
    const target = resolve(dirname(file), `${specifier}.ts`);
    edges.push(target);
    if (layerOf(target) > layerOf(file)) {
      problems.push(`${name} -> ${relative(src, target)}: points up a layer (${LAYERS.join(' <- ')} <- entry files)`);
    }
  }
  graph.set(file, edges);
}

// Tarjan's strongly connected components: any component of more than one file is a cycle.
let index = 0;
const indexOf = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
function connect(file) {
  indexOf.set(file, index);
  low.set(file, index++);
  stack.push(file);
  onStack.add(file);
  for (const next of graph.get(file) ?? []) {
    if (!graph.has(next)) continue;
    if (!indexOf.has(next)) {
      connect(next);
      low.set(file, Math.min(low.get(file), low.get(next)));
    } else if (onStack.has(next)) low.set(file, Math.min(low.get(file), indexOf.get(next)));
  }
  if (low.get(file) !== indexOf.get(file)) return;
  const component = [];
  let member;
  do {
    member = stack.pop();
    onStack.delete(member);
    component.push(relative(src, member));
  } while (member !== file);
  if (component.length > 1 || (graph.get(file) ?? []).includes(file)) problems.push(`import cycle: ${component.sort().join(', ')}`);
}
for (const file of graph.keys()) if (!indexOf.has(file)) connect(file);

const h3Files = files.filter((file) => /from\s+'h3'/.test(readFileSync(file, 'utf8'))).map((file) => relative(src, file));
if (problems.length > 0) {
  console.error(`check-imports: ${problems.length} problem(s) in projects/session/src:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `check-imports: ${files.length} files, ${[...graph.values()].reduce((n, edges) => n + edges.length, 0)} imports, ` +
    `no cycle, no upward edge; h3 imported for types only, by ${h3Files.length} file(s): ${h3Files.join(', ')}`,
);
