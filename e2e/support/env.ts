import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root (e2e/ lives directly under it). */
export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The built production server every test runs against. */
export const serverEntry = join(repoRoot, 'dist/demo/server/index.mjs');

/** Fixed for the run, so cookies signed by one demo server are valid on another (see redis.spec.ts). */
export const E2E_SESSION_SECRET = 'e2e-only-secret-0123456789abcdefghijklmnopqrstuvwxyz';

/** Name of the demo's session cookie: `__Host-` and Secure, as the suite runs without SESSION_COOKIE_SECURE=false. */
export const SESSION_COOKIE = '__Host-sid';

/** Launch flags for Debian's Chromium on this machine (docs/contract.md). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function assertBuilt(): void {
  if (!existsSync(serverEntry)) {
    throw new Error(`[e2e] ${serverEntry} is missing. Build the demo first: npm run build (or npm run build:demo).`);
  }
}

/**
 * A temp data dir for this run. Kept in the environment so Playwright's workers, which load the config
 * again, reuse the one the main process created.
 */
export function runDataDir(): string {
  process.env['E2E_DATA_DIR'] ??= mkdtempSync(join(tmpdir(), 'session-demo-e2e-'));
  return process.env['E2E_DATA_DIR'];
}
