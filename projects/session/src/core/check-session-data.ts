import { SessionError } from './errors';

/**
 * Throws `INVALID_DATA` naming the key path of the first value that would not come back from the store as
 * itself: only JSON round-trips (plain objects, arrays, strings, finite numbers, booleans, null; a key set to
 * `undefined` is dropped). Checked before the store is called, so a rejected write leaves the store untouched.
 */
export function checkSessionData(data: unknown, operation: string): void {
  if (isFlatJson(data)) return;
  const problem = findProblem(data, 'data', new Set());
  if (problem) {
    const [path, what] = problem;
    const message =
      `${operation}: session value ${path} is ${what}, which would not come back from the store as itself. ` +
      'Store only JSON: plain objects, arrays, strings, finite numbers, booleans and null (e.g. a Date as date.toISOString()).';
    throw new SessionError('INVALID_DATA', message, { path });
  }
}

/** The common case, checked without the walk's bookkeeping: a plain object of strings, booleans, null and finite numbers. */
function isFlatJson(data: unknown): boolean {
  if (data === null || typeof data !== 'object' || Object.getPrototypeOf(data) !== Object.prototype) return false;
  for (const key in data) {
    const value = (data as Record<string, unknown>)[key];
    const type = typeof value;
    if (type === 'string' || type === 'boolean' || value === null || value === undefined) continue;
    if (type !== 'number' || !Number.isFinite(value)) return false;
  }
  return true;
}

function findProblem(value: unknown, path: string, ancestors: Set<object>): [string, string] | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : [path, String(value)];
    case 'object':
      break;
    default:
      return [path, `a ${typeof value}`];
  }
  if (value === null) return undefined;
  if (ancestors.has(value)) return [path, 'a circular reference'];
  const isArray = Array.isArray(value);
  const proto = Object.getPrototypeOf(value);
  if (!isArray && proto !== Object.prototype && proto !== null) return [path, `a ${proto?.constructor?.name ?? 'non-plain'} object`];
  ancestors.add(value);
  try {
    if (isArray) {
      for (let i = 0; i < value.length; i++) {
        if (value[i] === undefined) return [`${path}[${i}]`, 'undefined in an array (it becomes null)'];
        const found = findProblem(value[i], `${path}[${i}]`, ancestors);
        if (found) return found;
      }
      return undefined;
    }
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      if (child === undefined) continue;
      const found = findProblem(child, `${path}.${key}`, ancestors);
      if (found) return found;
    }
    return undefined;
  } finally {
    ancestors.delete(value);
  }
}
