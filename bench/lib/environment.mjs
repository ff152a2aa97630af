// The machine and the package versions a result was measured with, read from the installed package.json files.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './ensure-build.mjs';

const PACKAGES = ['h3', 'unstorage', 'ioredis', 'autocannon', '@scayle/h3-session', 'express', 'express-session', 'connect-redis', 'redis'];

function versionOf(dir) {
  const file = join(dir, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : null;
}

function gitHead() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null;
  }
}

/** Versions of ours (package version and git commit), the peers, the tools and redis-server. */
export function packageVersions() {
  const versions = {};
  const ours = versionOf(join(ROOT, 'projects/session')) ?? versionOf(join(ROOT, 'dist/session'));
  versions['@analog-tools/session'] = `${ours ?? 'unversioned'} (git ${gitHead() ?? 'no commit'})`;
  for (const name of PACKAGES) versions[name] = versionOf(join(ROOT, 'node_modules', name)) ?? 'missing';
  try {
    versions['redis-server'] = /v=(\S+)/.exec(execFileSync('redis-server', ['--version']).toString())?.[1] ?? 'unknown';
  } catch {
    versions['redis-server'] = 'missing';
  }
  return versions;
}

/** CPU, memory, OS and Node of this machine, with the load average at the start as a noise hint. */
export function machineInfo() {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()}`,
    loadavg: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}
