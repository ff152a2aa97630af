import { messageOf, SessionError } from '../errors';
import type { SessionTelemetry } from '../telemetry';

/** The deadline of the store call whose `work` is running right now (synchronously), for {@link atStoreDeadline}. */
let running: number | undefined;
/** After the I/O of this turn of the event loop (setImmediate where there is one). */
const nextTurn: (run: () => void) => unknown = (globalThis as { setImmediate?: (run: () => void) => unknown }).setImmediate ?? setTimeout;
/** Backend calls made before the store call that serves them started (storeStep), by the promise they returned. */
const unclaimed = new WeakMap<object, (deadline: number | undefined) => void>();

/**
 * Rejects with `STORAGE_ERROR` when `operation` fails or takes longer than `timeoutMs`. A backend that can refuse
 * work past a deadline (redis.ts) learns this call's through {@link atStoreDeadline}; it never rejects before it.
 * `telemetry` (the backend's, when OpenTelemetry is on) counts the timeouts.
 */
export function withStoreTimeout<R>(
  backend: string,
  operation: string,
  timeoutMs: number,
  work: () => Promise<R>,
  telemetry?: SessionTelemetry,
): Promise<R> {
  const deadline = performance.now() + timeoutMs;
  return new Promise<R>((resolve, reject) => {
    const expire = () => {
      // A timer may fire a little early (libuv's cached loop time): never report a timeout before the deadline.
      const left = deadline - performance.now();
      if (left > 0) return arm(left);
      const fix = 'Check that it is reachable, or raise config.timeout.';
      const message = `${operation}: the ${backend} store did not answer within ${timeoutMs} ms. ${fix}`;
      // One more turn of the event loop first: a reply that arrived while it was busy is read (and resolves) before
      // this rejects, so a write that was applied is not reported as failed.
      nextTurn(() => {
        if (answered) return;
        telemetry?.storeTimedOut(backend, operation);
        reject(new SessionError('STORAGE_ERROR', message, { backend, operation, timeoutMs }));
      });
    };
    let timer: ReturnType<typeof setTimeout>;
    let answered = false;
    const arm = (ms: number) => {
      timer = setTimeout(expire, ms);
      (timer as { unref?: () => void }).unref?.();
    };
    arm(timeoutMs);
    let pending: Promise<R>;
    const outer = running;
    running = deadline;
    try {
      pending = work();
    } catch (error) {
      pending = Promise.reject(error);
    } finally {
      running = outer;
    }
    unclaimed.get(pending)?.(deadline);
    pending.then(
      (value) => {
        answered = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        answered = true;
        clearTimeout(timer);
        if (error instanceof SessionError) return reject(error);
        const message = `${operation}: the ${backend} store failed: ${messageOf(error)}`;
        reject(new SessionError('STORAGE_ERROR', message, { backend, operation }, { cause: error }));
      },
    );
  });
}

/**
 * For a backend method: runs `send` with the deadline (`performance.now()` time) of the {@link withStoreTimeout}
 * call it serves, or `undefined` when none does. The backend must be called synchronously inside that call's
 * `work`, or return this promise to a `withStoreTimeout` started in the same tick (storeStep does both in turn).
 */
export function atStoreDeadline<R>(send: (deadline: number | undefined) => Promise<R>): Promise<R> {
  if (running !== undefined) return send(running);
  let supply!: (deadline: number | undefined) => void;
  const pending = new Promise<number | undefined>((resolve) => (supply = resolve)).then(send);
  unclaimed.set(pending, supply);
  // Not handed to a withStoreTimeout in this tick: no deadline (a settled promise ignores the later supply).
  queueMicrotask(() => supply(undefined));
  return pending;
}
