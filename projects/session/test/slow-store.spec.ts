// A store that answers every call slowly but within the timeout: requests of one session must not queue behind
// each other for one store timeout each, and a touch that is due must be written once, not once per reader.
import { createStorage, type Storage } from 'unstorage';
import memoryDriver from 'unstorage/drivers/memory';
import { afterEach, describe, expect, it } from 'vitest';
import { Client, serve, type Served } from './support/http';
import { createSessionApp } from './support/session-app';

const DELAY_MS = 100;
const TIMEOUT_MS = 250;

/** A memory store whose every driver call takes DELAY_MS, counting the writes begun and the writes done. */
function slowStore(): { store: Storage<any>; writes: () => number; written: () => number } {
  let writes = 0;
  let written = 0;
  const driver = memoryDriver();
  const slow = new Proxy(driver, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'dispose') return value;
      return async (...args: unknown[]) => {
        const write = String(property).startsWith('setItem');
        if (write) writes++;
        await new Promise((resolve) => setTimeout(resolve, DELAY_MS));
        try {
          return await (value as (...a: unknown[]) => unknown).apply(target, args);
        } finally {
          if (write) written++;
        }
      };
    },
  });
  return { store: createStorage({ driver: slow }), writes: () => writes, written: () => written };
}

let server: Served | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('a slow store', () => {
  it('gives up on each of 8 parallel updates of one session after the timeout (503) instead of queueing behind all of them', async () => {
    const { store, written } = slowStore();
    server = await serve(createSessionApp(store, { timeout: TIMEOUT_MS }).app);
    const client = new Client(server.url);
    await client.json('/inc', { method: 'POST' });
    const before = written();
    const answers = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const response = await client.clone().request('/inc', { method: 'POST' });
        // How far the queue had got when this answer came: a clock of writes done, not of the (shared) machine.
        return { status: response.status, writesDone: written() - before };
      }),
    );
    expect(answers.every((answer) => answer.status === 200 || answer.status === 503)).toBe(true);
    const successes = answers.filter((answer) => answer.status === 200).length;
    // The writes of one session queue, DELAY_MS each: all 8 would take far longer than TIMEOUT_MS. So some are
    // refused, and the first refusal comes before the queue's accepted writes are all done.
    expect(successes).toBeGreaterThan(0);
    expect(successes).toBeLessThan(8);
    const firstRefusal = Math.min(...answers.filter((answer) => answer.status === 503).map((answer) => answer.writesDone));
    expect(firstRefusal).toBeLessThan(successes);
    // What was answered 200 was stored: the count is 1 + the successes.
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
