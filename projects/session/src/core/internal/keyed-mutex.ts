/** Serializes async work per key within this process. */
export interface KeyedMutex {
  /** Runs `task` after every task queued earlier under `key` has settled. */
  run<R>(key: string, task: () => Promise<R>): Promise<R>;
  /** How many tasks are running or queued under `key`. */
  size(key: string): number;
}

/** Creates a {@link KeyedMutex}; entries are deleted as soon as a key's queue drains, so idle keys cost nothing. */
export function createKeyedMutex(): KeyedMutex {
  // Per busy key: how many tasks run or wait, and the wake-ups of the waiting ones in order. A free key starts
  // its task at once, with no promise to wait for.
  const queues = new Map<string, { size: number; waiting: Array<() => void> }>();
  return {
    async run(key, task) {
      let queue = queues.get(key);
      if (queue) {
        queue.size++;
        const { waiting } = queue;
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        queue = { size: 1, waiting: [] };
        queues.set(key, queue);
      }
      try {
        return await task();
      } finally {
        queue.size--;
        const next = queue.waiting.shift();
        if (next) next();
        else queues.delete(key);
      }
    },
    size: (key) => queues.get(key)?.size ?? 0,
  };
}
