// How a write's deadline reaches Redis' clock: measured offsets (TIME), the smallest over a cluster's nodes, the
// reply margin, and the store calls that set it (withStoreTimeout, storeStep).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withStoreTimeout } from '../src/core/internal/with-store-timeout';
import { storeStep, type SessionState } from '../src/core/state';
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
    await withStoreTimeout('redis', 'test', 1000, (at) => backend.compareAndSet('sess:a', 1, '{}', 60_000, {}, at) as Promise<unknown>);
    expect(Math.abs(Number(deadline()) - (start + 1000 - 100 - 42_000))).toBeLessThan(25);
  });

  it('gets the deadline storeStep gives its work', async () => {
    const { backend, deadline } = fakeRedis([0]);
    const state = { store: backend, config: { timeout: 2000 } } as unknown as SessionState;
    const start = Date.now();
    await storeStep(state, 'test', (at) => backend.compareAndSet('sess:a', 1, '{}', 60_000, {}, at));
    expect(Math.abs(Number(deadline()) - (start + 2000 - 100))).toBeLessThan(25);
  });

  it('sends no deadline for a call given none', async () => {
    const { backend, deadline } = fakeRedis([0]);
    await backend.remove('sess:a');
    expect(deadline()).toBe('');
  });

  it("on a cluster, uses the clock of the node furthest behind and warns when the nodes' clocks differ", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { backend, deadline } = fakeRedis([5000, -3000, 0]);
    const start = Date.now();
    await withStoreTimeout('redis', 'test', 1000, (at) => backend.compareAndSet('sess:a', 1, '{}', 60_000, {}, at) as Promise<unknown>);
    expect(Math.abs(Number(deadline()) - (start + 1000 - 100 - 3000))).toBeLessThan(25);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/clocks of the cluster's nodes differ by 8\d{3} ms/));
  });
});
