// Makes sure dist/session/index.js exists and is not older than projects/session/src, building it if needed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const OURS_ENTRY = join(ROOT, 'dist/session/index.js');
const SOURCES = join(ROOT, 'projects/session/src');

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Runs `npm run build:session` when the build is missing or stale.
 * @param {{ skip?: boolean }} [options]  skip: use whatever build exists (--no-build)
 * @returns {{ ok: boolean, note: string }}
 */
export function ensureOursBuild(options = {}) {
  const built = existsSync(OURS_ENTRY) ? statSync(OURS_ENTRY).mtimeMs : 0;
  if (options.skip)
    return built ? { ok: true, note: 'existing build used (--no-build)' } : { ok: false, note: `${OURS_ENTRY} missing (--no-build)` };
  if (built && built >= newestMtime(SOURCES)) return { ok: true, note: 'build up to date' };
  console.log(`[bench] ${built ? 'sources newer than the build' : 'no build yet'}: npm run build:session`);
  const run = spawnSync('npm', ['run', 'build:session'], { cwd: ROOT, stdio: 'inherit', timeout: 180_000 });
  if (run.status === 0 && existsSync(OURS_ENTRY)) return { ok: true, note: 'built by npm run build:session' };
  // A stale build would be reported as today's library: fail instead; --no-build measures it on purpose.
  return {
    ok: false,
    note: `npm run build:session failed (status ${run.status}); run it to see why, or pass --no-build to measure the existing build`,
  };
}
