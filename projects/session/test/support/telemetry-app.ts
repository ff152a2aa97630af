// An app for the telemetry specs whose /backend route tells whether the request's session uses the store's plain
// backend (no telemetry wrapper).
import type { SessionConfig } from '../../src/core/config';
import { getSessionState } from '../../src/http/session-state';
import { getSessionBackend } from '../../src/stores/get-backend';
import { Client, serve, type Served } from './http';
import { createSessionApp } from './session-app';
import { memoryStore } from './stores';

/** Starts the app on a memory store with `telemetry` (left out when undefined); `served` closes it after the test. */
export async function startBackendApp(telemetry?: SessionConfig['telemetry']): Promise<{ client: Client; served: Served }> {
  const { store } = await memoryStore();
  const { app } = createSessionApp(store, telemetry === undefined ? {} : { telemetry });
  app.get('/backend', (event) => ({ plain: getSessionState(event)!.store === getSessionBackend(store, 'sess:') }));
  const served = await serve(app);
  return { client: new Client(served.url), served };
}
