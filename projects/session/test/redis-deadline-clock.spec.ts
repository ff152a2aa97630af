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

/**
 * Checks a deadline in Redis' clock against the store call's `timeout` and the node's `skew`, however long the call
 * took on a loaded machine: the call read the clocks between `before` and `after` (Date.now() around it), so its
 * error is at most that span, plus 2 ms of rounding.
 */
function expectDeadline(sent: string, { before, after, timeout, skew }: { before: number; after: number; timeout: number; skew: number }) {
  const slack = after - before + 2;
  expect(Number(sent)).toBeGreaterThanOrEqual(before + timeout - 100 + skew - slack);
  expect(Number(sent)).toBeLessThanOrEqual(after + timeout - 100 + skew + slack);
}

describe('redis write deadline', () => {
  it("carries the store call's deadline in Redis' clock, less the reply margin", async () => {
    const { backend, deadline } = fakeRedis([-42_000]);
    const before = Date.now();
    await withStoreTimeout('redis', 'test', 1000, (at) => backend.compareAndSet('sess:a', 1, '{}', 60_000, {}, at) as Promise<unknown>);
    expectDeadline(deadline(), { before, after: Date.now(), timeout: 1000, skew: -42_000 });
  });

  it('gets the deadline storeStep gives its work', async () => {
    const { backend, deadline } = fakeRedis([0]);
    const state = { store: backend, config: { timeout: 2000 } } as unknown as SessionState;
    const before = Date.now();
    await storeStep(state, 'test', (at) => backend.compareAndSet('sess:a', 1, '{}', 60_000, {}, at));
    expectDeadline(deadline(), { before, after: Date.now(), timeout: 2000, skew: 0 });
  });

  it('sends no deadline for a call given none', async () => {
    const { backend, deadline } = fakeRedis([0]);
    await backend.remove('sess:a');
    expect(deadline()).toBe('');
  });

  it("on a cluster, uses the clock of the node furthest behind and warns when the nodes' clocks differ", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { backend, deadline } = fakeRedis([5000, -3000, 0]);
    const before = Date.now();
    await withStoreTimeout('redis', 'test', 1000, (at) => backend.compareAndSet('sess:a', 1, '{}', 60_000, {}, at) as Promise<unknown>);
    expectDeadline(deadline(), { before, after: Date.now(), timeout: 1000, skew: -3000 });
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/clocks of the cluster's nodes differ by 8\d{3} ms/));
  });
});
