// `@opentelemetry/api` installed (often as another package's dependency) but no SDK registered: its spans and
// instruments would be no-ops, so the session keeps the plain backend and pays nothing per store call.
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionConfig } from '../src/core/config';
import { Client, serve, type Served } from './support/http';
import { createSessionApp } from './support/session-app';
import { memoryStore } from './support/stores';
import { startBackendApp } from './support/telemetry-app';

let server: Served | undefined;
afterEach(() => server?.close());

async function start(telemetry?: SessionConfig['telemetry']) {
  const started = await startBackendApp(telemetry);
  server = started.served;
  return started.client;
}

describe('@opentelemetry/api without an SDK', () => {
  it('keeps the plain backend when no tracer or meter provider is registered', async () => {
    const client = await start();
    await client.json('/set', { body: { a: 1 } });
    expect(await client.json('/backend')).toEqual({ plain: true });
  });

  it('telemetry: true then fails with a message naming the fix', async () => {
    const client = await start(true);
    expect((await client.request('/session')).status).toBe(500);
  });

  it('refuses a telemetry option that is neither a boolean nor { tracer, meter } at the first request', async () => {
    const { store } = await memoryStore();
    const { app } = createSessionApp(store, { telemetry: { meter: {} } as never });
    server = await serve(app);
    const response = await new Client(server.url).request('/session');
    expect(response.status).toBe(500);
    expect(await response.text()).toContain('Session misconfigured');
  });

  it('a config given its own meter is observed whatever the globals', async () => {
    const meter = new MeterProvider().getMeter('app');
    const client = await start({ meter });
    await client.json('/set', { body: { a: 1 } });
    expect(await client.json('/backend')).toEqual({ plain: false });
  });
});
