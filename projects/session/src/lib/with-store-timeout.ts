import { messageOf, SessionError } from './session-error';

interface Deadline {
  at: number;
  expire: () => void;
}

/** Pending store calls, checked by one shared timer instead of a timer per call. */
const deadlines = new Set<Deadline>();
let sweeper: ReturnType<typeof setInterval> | undefined;
/** Resolution of store timeouts: a call times out between `timeout` and `timeout + 25` ms. */
const SWEEP_EVERY_MS = 25;

function sweepDeadlines(): void {
  const now = performance.now();
  for (const deadline of deadlines) {
    if (deadline.at <= now) {
      deadlines.delete(deadline);
      deadline.expire();
    }
  }
  if (deadlines.size === 0 && sweeper) {
    clearInterval(sweeper);
    sweeper = undefined;
  }
}

/** Rejects with `STORAGE_ERROR` when `operation` fails or takes longer than `timeoutMs`. */
export function withStoreTimeout<R>(backend: string, operation: string, timeoutMs: number, work: () => Promise<R>): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const deadline: Deadline = {
      at: performance.now() + timeoutMs,
      expire: () =>
        reject(
          new SessionError('STORAGE_ERROR', `${operation}: the ${backend} store did not answer within ${timeoutMs} ms. Check that it is reachable, or raise config.timeout.`, {
            backend,
            operation,
            timeoutMs,
          }),
        ),
    };
    deadlines.add(deadline);
    if (!sweeper) {
      sweeper = setInterval(sweepDeadlines, SWEEP_EVERY_MS);
      (sweeper as { unref?: () => void }).unref?.();
    }
    let pending: Promise<R>;
    try {
      pending = work();
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => {
        deadlines.delete(deadline);
        resolve(value);
      },
      (error: unknown) => {
        deadlines.delete(deadline);
        reject(
          error instanceof SessionError
            ? error
            : new SessionError('STORAGE_ERROR', `${operation}: the ${backend} store failed: ${messageOf(error)}`, { backend, operation }, { cause: error }),
        );
      },
    );
  });
}
