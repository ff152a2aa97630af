/** Serializes async work per key within this process. */
export interface KeyedMutex {
  /**
   * Runs `task` after every task queued earlier under `key` has settled. With `maxWaitMs`, a task that could not
   * start within that many milliseconds is dropped from the queue and the call rejects with {@link LockWaitTimeout}.
   */
  run<R>(key: string, task: () => Promise<R>, maxWaitMs?: number): Promise<R>;
  /** How many tasks are running or queued under `key`. */
  size(key: string): number;
}

/** The rejection of a task that waited longer than its `maxWaitMs` for its turn. */
export class LockWaitTimeout extends Error {
  override readonly name = 'LockWaitTimeout';
}

/** Creates a {@link KeyedMutex}; entries are deleted as soon as a key's queue drains, so idle keys cost nothing. */
export function createKeyedMutex(): KeyedMutex {
  // Per busy key: how many tasks run or wait, and the wake-ups of the waiting ones in order. A free key starts
  // its task at once, with no promise to wait for.
  const queues = new Map<string, { size: number; waiting: Array<() => void> }>();
  return {
    async run(key, task, maxWaitMs) {
      let queue = queues.get(key);
      if (queue) {
        queue.size++;
        const { waiting } = queue;
        const current = queue;
        await new Promise<void>((resolve, reject) => {
          if (maxWaitMs === undefined) return void waiting.push(resolve);
          const wake = () => {
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(() => {
            waiting.splice(waiting.indexOf(wake), 1);
            current.size--;
            reject(new LockWaitTimeout(`waited ${maxWaitMs} ms for the tasks queued before it`));
          }, maxWaitMs);
          (timer as { unref?: () => void }).unref?.();
          waiting.push(wake);
        });
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
        else if (queue.size === 0) queues.delete(key);
      }
    },
    size: (key) => queues.get(key)?.size ?? 0,
  };
}
