import { messageOf, SessionError } from '../errors';
import type { SessionTelemetry } from '../telemetry';

/** After the I/O of this turn of the event loop (setImmediate where there is one). */
const nextTurn: (run: () => void) => unknown = (globalThis as { setImmediate?: (run: () => void) => unknown }).setImmediate ?? setTimeout;

/**
 * Rejects with `STORAGE_ERROR` when `operation` fails or takes longer than `timeoutMs`; never before `deadline`.
 * `work` is given the deadline (`performance.now()` time) to pass to a backend that can refuse work past it
 * (redis.ts). `deadline` defaults to `timeoutMs` from now; storeStep passes the one it already gave its work.
 * `telemetry` (the backend's, when OpenTelemetry is on) counts the timeouts.
 */
export function withStoreTimeout<R>(
  backend: string,
  operation: string,
  timeoutMs: number,
  work: (deadline: number) => Promise<R>,
  telemetry?: SessionTelemetry,
  deadline = performance.now() + timeoutMs,
): Promise<R> {
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
    arm(Math.max(0, deadline - performance.now()));
    let pending: Promise<R>;
    try {
      pending = work(deadline);
    } catch (error) {
      pending = Promise.reject(error);
    }
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
