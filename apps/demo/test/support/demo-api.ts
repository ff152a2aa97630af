import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createApp, createRouter, toNodeListener, type EventHandler, type RouterMethod } from 'h3';

const serverDir = join(import.meta.dirname, '../../src/server');

/** Every file under `dir`, sorted by path: Nitro runs middleware files in name order. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .sort()
    .map((file) => join(dir, file));
}

async function load(file: string): Promise<EventHandler> {
  return ((await import(file)) as { default: EventHandler }).default;
}

export interface DemoApi {
  base: string;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * The demo's real middleware and route handlers, mounted the way Nitro mounts them (every file of
 * `middleware/` in name order, then `routes/` by file name), behind a real HTTP server on a free port,
 * with a fresh fs store. Call once per test file: the modules keep their state (limits) for the file.
 */
export async function startDemoApi(): Promise<DemoApi> {
  const dataDir = mkdtempSync(join(tmpdir(), 'session-demo-api-'));
  process.env['SESSION_DATA_DIR'] = dataDir;
  delete process.env['SESSION_SECRET'];
  delete process.env['REDIS_URL'];

  const app = createApp();
  for (const file of filesUnder(join(serverDir, 'middleware'))) app.use(await load(file));
  const router = createRouter();
  for (const file of filesUnder(join(serverDir, 'routes'))) {
    const [, path, method] = /^(.*)\.(get|post)\.ts$/.exec(relative(join(serverDir, 'routes'), file)) ?? [];
    if (path) router[method as RouterMethod](`/${path}`, await load(file));
  }
  app.use(router);

  const server: Server = createServer(toNodeListener(app));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    dataDir,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read fields of the JSON they expect
  json: any;
  ms: number;
}

/**
 * One request over node:http, optionally from another loopback address (`127.x.y.z`), so that tests can act as
 * many clients. Bodies that are not strings are sent as JSON.
 */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown; from?: string } = {},
): Promise<Answer> {
  const { method = 'GET', headers = {}, body, from } = options;
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        localAddress: from,
        agent: false,
        headers: { ...(typeof body === 'object' ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const isJson = res.headers['content-type']?.includes('json') ?? false;
          const json: unknown = isJson ? JSON.parse(text) : undefined;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json, ms: performance.now() - started });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
