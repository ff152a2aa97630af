// A store that answers every call slowly but within the timeout: requests of one session must not queue behind
// each other for one store timeout each, and a touch that is due must be written once, not once per reader.
import { createStorage, type Storage } from 'unstorage';
import memoryDriver from 'unstorage/drivers/memory';
import { afterEach, describe, expect, it } from 'vitest';
import { Client, serve, type Served } from './support/http';
import { createSessionApp } from './support/session-app';

const DELAY_MS = 100;
const TIMEOUT_MS = 250;

/** A memory store whose every driver call takes DELAY_MS, counting the writes. */
function slowStore(): { store: Storage<any>; writes: () => number } {
  let writes = 0;
  const driver = memoryDriver();
  const slow = new Proxy(driver, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'dispose') return value;
      return async (...args: unknown[]) => {
        if (String(property).startsWith('setItem')) writes++;
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
  it('bounds each of 8 parallel updates of one session by about twice the timeout (503 past it), not 8 store round trips', async () => {
    const { store } = slowStore();
    server = await serve(createSessionApp(store, { timeout: TIMEOUT_MS }).app);
    const client = new Client(server.url);
    await client.json('/inc', { method: 'POST' });
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const response = await client.clone().request('/inc', { method: 'POST' });
        return { status: response.status, ms: Date.now() - started };
      }),
    );
    // Each update is a read and a write of DELAY_MS each: queued one after another, the 8th answered after ~1600 ms.
    expect(Math.max(...answers.map((answer) => answer.ms))).toBeLessThan(2 * TIMEOUT_MS + 400);
    expect(answers.every((answer) => answer.status === 200 || answer.status === 503)).toBe(true);
    expect(answers.some((answer) => answer.status === 200)).toBe(true);
    // What was answered 200 was stored: the count is 1 + the successes.
    const successes = answers.filter((answer) => answer.status === 200).length;
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
