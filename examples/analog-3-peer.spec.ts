// The packed @analog-tools/session-angular installs next to Analog 3 (Nitro 3), which exists only as 3.0.0-alpha.x on
// analogjs/analog's `alpha` branch, not on the registry. A stand-in @analogjs/router (that branch's version and
// Angular peer ranges, no code) and the tarball go into a throwaway project with a plain `npm install`, as a user
// would: a peer range that refuses Analog 3 fails here with ERESOLVE. A 4.0 prerelease, never tried, is refused.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
/** Version and Angular peers of packages/router/package.json on analogjs/analog's alpha branch (64edad6). */
const ANALOG_3_ROUTER = '3.0.0-alpha.70';
const ANGULAR_PEER = '^15.0.0 || ^16.0.0 || ^17.0.0 || ^18.0.0 || ^19.0.0 || ^20.0.0 || ^21.0.0 || ^22.0.0';

let dir: string;
let tarball: string;
beforeAll(() => {
  const packed = readdirSync(join(root, 'dist/packages')).find((name) => name.startsWith('analog-tools-session-angular-'));
  if (!packed) throw new Error('dist/packages has no session-angular tarball: run npm run pack:tarballs');
  tarball = join(root, 'dist/packages', packed);
  dir = mkdtempSync(join(tmpdir(), 'analog-3-peer-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Packs a stand-in @analogjs/router of `version` and returns its tarball. */
function routerStandIn(version: string): string {
  const source = join(dir, `router-${version}`);
  mkdirSync(source);
  const peerDependencies = { '@angular/core': ANGULAR_PEER, '@angular/router': ANGULAR_PEER };
  writeFileSync(join(source, 'package.json'), JSON.stringify({ name: '@analogjs/router', version, peerDependencies }));
  const [report] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: source, encoding: 'utf8' }));
  return join(dir, report.filename);
}

/** A plain `npm install` of the session-angular tarball, the router stand-in and the workspace's Angular and rxjs. */
function install(router: string): { ok: boolean; output: string } {
  const app = mkdtempSync(join(dir, 'app-'));
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'analog-3-app', private: true, type: 'module' }));
  const { dependencies } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const pinned = ['@angular/common', '@angular/core', '@angular/platform-browser', '@angular/router', 'rxjs'].map(
    (name) => `${name}@${dependencies[name]}`,
  );
  try {
    const args = ['install', '--no-audit', '--no-fund', '--prefer-offline', router, tarball, ...pinned];
    const output = execFileSync('npm', args, { cwd: app, encoding: 'utf8', stdio: 'pipe' });
    return { ok: true, output };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${stdout}${stderr}` };
  }
}

it(`installs next to @analogjs/router ${ANALOG_3_ROUTER} (Analog 3's alpha line) without ERESOLVE`, () => {
  const result = install(routerStandIn(ANALOG_3_ROUTER));
  expect(result.output).not.toMatch(/ERESOLVE/);
  expect(result.ok, result.output).toBe(true);
});

it('is refused next to a @analogjs/router 4 prerelease (ERESOLVE naming the peer range)', () => {
  const result = install(routerStandIn('4.0.0-alpha.0'));
  expect(result.ok).toBe(false);
  expect(result.output).toMatch(/ERESOLVE/);
  expect(result.output).toMatch(/peerOptional @analogjs\/router@"\^2\.0\.0 \|\| \^3\.0\.0-alpha\.0" from @analog-tools\/session-angular/);
});
