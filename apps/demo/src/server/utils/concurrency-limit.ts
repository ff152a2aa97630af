/** Options of {@link createConcurrencyLimit}. */
export interface ConcurrencyLimitOptions {
  /** Tasks running at once. */
  max: number;
  /** Tasks waiting for a slot at most; more are refused at once rather than queued without end. */
  maxWaiting: number;
}

/**
 * Runs at most `max` tasks at once and queues at most `maxWaiting` more. `tryRun` returns null, without
 * running the task, when the queue is full: the caller answers "busy" (503 + Retry-After).
 */
export function createConcurrencyLimit(options: ConcurrencyLimitOptions) {
  let running = 0;
  const waiting: Array<() => void> = [];

  async function run<T>(task: () => Promise<T>): Promise<T> {
    if (running < options.max) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      // Hands the slot straight to the next waiting task, so `running` never over-counts.
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  }

  return {
    tryRun<T>(task: () => Promise<T>): Promise<T> | null {
      if (running >= options.max && waiting.length >= options.maxWaiting) return null;
      return run(task);
    },
  };
}
