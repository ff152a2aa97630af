// How a write's deadline reaches Redis' clock: measured offsets (TIME), the smallest over a cluster's nodes, the
// reply margin, and the store call that sets it (withStoreTimeout, also when the backend was called first).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withStoreTimeout } from '../src/core/internal/with-store-timeout';
import { createRedisBackend, type RedisLike } from '../src/stores/redis';

/** A client whose nodes' clocks are off by `skews` ms; it records the script calls and answers "written". */
function fakeRedis(skews: number[]) {
  const sent: unknown[][] = [];
  const node = (skew: number) => ({
    time: async () => {
      const at = Date.now() + skew;
      return [String(Math.floor(at / 1000)), String((at % 1000) * 1000)];
    },
  });
  const client: Record<string, unknown> = {
    defineCommand(name: string) {
      client[name] = async (...args: unknown[]) => {
        sent.push(args);
        return [2];
      };
    },
    ...(skews.length === 1 ? node(skews[0]) : { nodes: () => skews.map(node) }),
  };
  const backend = createRedisBackend({ client: () => client as RedisLike, toRedisKey: (key) => key, cluster: skews.length > 1 });
  /** The deadline argument of the last script call. */
  const deadline = () => sent.at(-1)![2] as string;
  return { backend, deadline };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('redis write deadline', () => {
  it("carries the store call's deadline in Redis' clock, less the reply margin", async () => {
    const { backend, deadline } = fakeRedis([-42_000]);
    const start = Date.now();
    await withStoreTimeout('redis', 'test', 1000, () => backend.compareAndSet('sess:a', 1, '{}', 60_000) as Promise<unknown>);
    expect(Math.abs(Number(deadline()) - (start + 1000 - 100 - 42_000))).toBeLessThan(25);
  });

  it('gets the deadline when the backend was called before the store call started (storeStep)', async () => {
    const { backend, deadline } = fakeRedis([0]);
    const start = Date.now();
    const pending = backend.compareAndSet('sess:a', 1, '{}', 60_000) as Promise<unknown>;
    await withStoreTimeout('redis', 'test', 2000, () => Promise.resolve(pending));
    expect(Math.abs(Number(deadline()) - (start + 2000 - 100))).toBeLessThan(25);
  });

  it('sends no deadline for a call no store call serves', async () => {
    const { backend, deadline } = fakeRedis([0]);
    await backend.remove('sess:a');
    expect(deadline()).toBe('');
  });

  it("on a cluster, uses the clock of the node furthest behind and warns when the nodes' clocks differ", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { backend, deadline } = fakeRedis([5000, -3000, 0]);
    const start = Date.now();
    await withStoreTimeout('redis', 'test', 1000, () => backend.compareAndSet('sess:a', 1, '{}', 60_000) as Promise<unknown>);
    expect(Math.abs(Number(deadline()) - (start + 1000 - 100 - 3000))).toBeLessThan(25);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/clocks of the cluster's nodes differ by 8\d{3} ms/));
  });
});
