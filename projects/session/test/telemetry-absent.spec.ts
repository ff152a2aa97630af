// Without `@opentelemetry/api` (an optional peer), sessions work as before: the import is tried once, at the first
// request, and the config keeps the store's plain backend (no wrapper). `telemetry: false` never tries it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Served } from './support/http';
import { startBackendApp } from './support/telemetry-app';

/** How often the session tried to import the package. */
const imports = vi.hoisted(() => ({ count: 0 }));
// What an app without the package sees: the dynamic import rejects (ERR_MODULE_NOT_FOUND in Node).
vi.mock('@opentelemetry/api', () => {
  imports.count++;
  throw new Error("Cannot find package '@opentelemetry/api'");
});

let server: Served | undefined;
afterEach(() => server?.close());

async function start(telemetry?: boolean) {
  const started = await startBackendApp(telemetry);
  server = started.served;
  return started.client;
}

describe('without @opentelemetry/api', () => {
  it('telemetry: false never tries to import it', async () => {
    const client = await start(false);
    await client.json('/set', { body: { a: 1 } });
    expect(await client.json('/backend')).toEqual({ plain: true });
    expect(imports.count).toBe(0);
  });

  it('left out, the first request tries the import once and the plain backend serves every request', async () => {
    const client = await start();
    await client.json('/set', { body: { a: 1 } });
    await client.json('/inc', { method: 'POST' });
    expect(await client.json('/backend')).toEqual({ plain: true });
    expect((await client.json('/session')).data).toEqual({ a: 1, n: 1 });
    expect(imports.count).toBe(1);
    // Another config, and the per-user calls given a Storage, do not try again.
    const other = await start();
    await other.json('/login', { body: { user: 'ada' } });
    await other.json('/revoke', { body: { user: 'ada' } });
    expect(imports.count).toBe(1);
  });

  it('telemetry: true fails every request with a message naming the fix', async () => {
    const client = await start(true);
    const response = await client.request('/session');
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('Session misconfigured');
  });
});
