// Runs a test server entry (a .ts file) as a separate Node process: bundled once per entry with esbuild
// (peer dependencies stay external), then spawned as often as a test needs instances. The entry prints
// "listening <url>" when it is ready; the child's stderr is kept so a test can assert on what it logged.
import { spawn, type ChildProcess } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// Inside the package, so the external packages resolve from node_modules; ignored by git.
const outDir = join(dirname(fileURLToPath(import.meta.url)), '../.build');
const bundles = new Map<string, Promise<unknown>>();

export interface TestServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

export async function spawnTestServer(entry: string, env: Record<string, string>): Promise<TestServerProcess> {
  const outfile = join(outDir, `${basename(entry, '.ts')}.mjs`);
  if (!bundles.has(entry)) {
    bundles.set(
      entry,
      build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'error' }),
    );
  }
  await bundles.get(entry);
  const child = spawn(process.execPath, [outfile], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening (\S+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`${basename(entry)} exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    child,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

/** The test app of support/session-app.ts in its own process, on `REDIS_URL` (memory without it). */
export function spawnSessionServer(env: Record<string, string>): Promise<TestServerProcess> {
  return spawnTestServer(join(dirname(fileURLToPath(import.meta.url)), 'session-server.ts'), env);
}
