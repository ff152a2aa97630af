// Runs test/support/session-server.ts as a separate Node process: bundled once with esbuild (peer
// dependencies stay external), then spawned as often as a test needs instances.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, '../../../../tmp/session-test-server.mjs');
let bundled: Promise<unknown> | undefined;

export interface SessionServerProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function spawnSessionServer(env: Record<string, string>): Promise<SessionServerProcess> {
  mkdirSync(dirname(outfile), { recursive: true });
  bundled ??= build({ entryPoints: [join(here, 'session-server.ts')], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' });
  await bundled;
  const child = spawn(process.execPath, [outfile], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`session test server exited with ${code}`)));
  });
  return {
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
