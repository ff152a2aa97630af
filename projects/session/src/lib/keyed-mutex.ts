/** Serializes async work per key within this process. */
export interface KeyedMutex {
  /** Runs `task` after every task queued earlier under `key` has settled. */
  run<R>(key: string, task: () => Promise<R>): Promise<R>;
  /** How many tasks are running or queued under `key`. */
  size(key: string): number;
}

/** Creates a {@link KeyedMutex}; entries are deleted as soon as a key's queue drains, so idle keys cost nothing. */
export function createKeyedMutex(): KeyedMutex {
  const queues = new Map<string, { tail: Promise<void>; size: number }>();
  return {
    async run(key, task) {
      let queue = queues.get(key);
      if (!queue) {
        queue = { tail: Promise.resolve(), size: 0 };
        queues.set(key, queue);
      }
      const previous = queue.tail;
      let release!: () => void;
      queue.tail = new Promise<void>((resolve) => (release = resolve));
      queue.size++;
      try {
        await previous;
        return await task();
      } finally {
        queue.size--;
        if (queue.size === 0) queues.delete(key);
        release();
      }
    },
    size: (key) => queues.get(key)?.size ?? 0,
  };
}
