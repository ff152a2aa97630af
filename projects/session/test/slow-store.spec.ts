// A store that answers every call slowly but within the timeout: requests of one session must not queue behind
// each other for one store timeout each, and a touch that is due must be written once, not once per reader.
import { createStorage, type Storage } from 'unstorage';
import memoryDriver from 'unstorage/drivers/memory';
import { afterEach, describe, expect, it } from 'vitest';
import { Client, serve, type Served } from './support/http';
import { createSessionApp } from './support/session-app';

const DELAY_MS = 100;
const TIMEOUT_MS = 1000;
/** Parallel updates of one session: done one after the other they take PARALLEL * 2 * DELAY_MS, far past TIMEOUT_MS. */
const PARALLEL = 16;

/** A memory store whose every driver call takes DELAY_MS, counting the writes begun. */
function slowStore(): { store: Storage<any>; writes: () => number } {
  let writes = 0;
  const driver = memoryDriver();
  const slow = new Proxy(driver, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'dispose') return value;
      return async (...args: unknown[]) => {
        const write = String(property).startsWith('setItem');
        if (write) writes++;
        await new Promise((resolve) => setTimeout(resolve, DELAY_MS));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: createStorage({ driver: slow }), writes: () => writes };
}

let server: Served | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a slow store', () => {
  it(`gives up on each of ${PARALLEL} parallel updates of one session after the timeout (503), not queueing behind them`, async () => {
    const { store } = slowStore();
    server = await serve(createSessionApp(store, { timeout: TIMEOUT_MS }).app);
    const client = new Client(server.url);
    await client.json('/inc', { method: 'POST' });
    const statuses = await Promise.all(
      Array.from({ length: PARALLEL }, async () => (await client.clone().request('/inc', { method: 'POST' })).status),
    );
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    const successes = statuses.filter((status) => status === 200).length;
    // The writes of one session queue, a read and a write of DELAY_MS each: the first is done well within TIMEOUT_MS,
    // and all of them cannot be, however fast the machine. (A deadline that started only once a request's turn came
    // would let every one through.)
    expect(successes).toBeGreaterThan(0);
    expect(successes).toBeLessThan(PARALLEL);
    // What was answered 200 was stored, and nothing answered 503 was: the count is 1 + the successes.
    expect((await client.json('/session')).data).toEqual({ n: 1 + successes });
  });

  it('writes a due touch once for 5 concurrent reads of one session', async () => {
    const { store, writes } = slowStore();
    server = await serve(createSessionApp(store, { timeout: 2000, touchAfter: 1 }).app);
    const client = new Client(server.url);
    await client.json('/inc', { method: 'POST' });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = writes();
    await Promise.all(Array.from({ length: 5 }, () => client.clone().json('/session')));
    expect(writes() - before).toBe(1);
  });
});
