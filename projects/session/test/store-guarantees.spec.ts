// What a store cannot promise across instances is said once per store, at its first request, naming the driver and
// the fix: only Redis makes compare-and-set and revocation atomic across instances. Here two app instances share a
// store through unstorage's HTTP storage server, a real shared store on the generic backend. The Cloudflare KV
// warning is checked on workerd (examples/consumers/worker-app.spec.ts).
import { createStorage } from 'unstorage';
import httpDriver from 'unstorage/drivers/http';
import { createStorageServer } from 'unstorage/server';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { storeGuaranteeWarning } from '../src/stores/store-guarantees';
import { listen, type Served } from './support/h3-app';
import { Client, serve } from './support/http';
import { createSessionApp } from './support/session-app';

let storageServer: Served;
beforeAll(async () => {
  storageServer = await listen(createStorageServer(createStorage()).handle);
});
afterAll(() => storageServer.close());
afterEach(() => vi.restoreAllMocks());

/** The lines this package warned, among everything written to console.warn. */
const packageWarnings = (warn: { mock: { calls: unknown[][] } }) =>
  warn.mock.calls.map((call) => call.join(' ')).filter((line) => line.startsWith('[@analog-tools/session]'));

it('warns once per store, at its first request, that a shared generic store has no compare-and-set across instances', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const instances = await Promise.all(
    [1, 2].map(() => serve(createSessionApp(createStorage({ driver: httpDriver({ base: storageServer.url }) })).app)),
  );
  try {
    expect(packageWarnings(warn)).toEqual([]);
    const [one, two] = instances.map((instance) => new Client(instance.url));
    await one.json('/inc', { method: 'POST' });
    expect(packageWarnings(warn)).toHaveLength(1);
    // The second instance sees the first one's session: the store is shared.
    two.cookies.set('connect.sid', one.cookies.get('connect.sid')!);
    expect(await two.json('/inc', { method: 'POST' })).toEqual({ n: 2 });
    for (let i = 0; i < 3; i++) await Promise.all([one.json('/inc', { method: 'POST' }), two.json('/session')]);
    const lines = packageWarnings(warn);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(lines[1]);
    expect(lines[0]).toMatch(
      /^\[@analog-tools\/session\] the 'http' session store has no compare-and-set across instances: .*the last write wins/,
    );
    expect(lines[0]).toMatch(/revokeUserSessions is not atomic with a login on another instance/);
    expect(lines[0]).toMatch(/use Redis \(createUnstorageStore\(\{ type: 'redis'.*"Scaling out"/);
  } finally {
    await Promise.all(instances.map((instance) => instance.close()));
  }
});

it('does not warn for a store that lives in one process', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const served = await serve(createSessionApp(createStorage()).app);
  try {
    const client = new Client(served.url);
    await client.json('/inc', { method: 'POST' });
    await client.json('/inc', { method: 'POST' });
    expect(packageWarnings(warn)).toEqual([]);
  } finally {
    await served.close();
  }
});

it('says what an eventually consistent store (Cloudflare KV) cannot promise: compare-and-set and prompt revocation', () => {
  for (const driver of ['cloudflare-kv-binding', 'cloudflare-kv-http']) {
    const warning = storeGuaranteeWarning(driver);
    expect(warning).toMatch(new RegExp(`^\\[@analog-tools/session\\] the '${driver}' session store is eventually consistent`));
    expect(warning).toMatch(
      /no compare-and-set across instances.*no prompt revocation.*up to 60 s on Cloudflare KV.*use Redis.*"Scaling out"/,
    );
  }
  expect(storeGuaranteeWarning('lru-cache')).toBeUndefined();
  expect(storeGuaranteeWarning('fs')).toBeUndefined();
  expect(storeGuaranteeWarning('unstorage')).toMatch(/its driver could not be identified/);
});
