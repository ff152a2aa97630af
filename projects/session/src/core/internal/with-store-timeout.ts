import { messageOf, SessionError } from '../errors';

/** Rejects with `STORAGE_ERROR` when `operation` fails or takes longer than `timeoutMs`. */
export function withStoreTimeout<R>(backend: string, operation: string, timeoutMs: number, work: () => Promise<R>): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const timer = setTimeout(() => {
      const fix = 'Check that it is reachable, or raise config.timeout.';
      const message = `${operation}: the ${backend} store did not answer within ${timeoutMs} ms. ${fix}`;
      reject(new SessionError('STORAGE_ERROR', message, { backend, operation, timeoutMs }));
    }, timeoutMs);
    (timer as { unref?: () => void }).unref?.();
    let pending: Promise<R>;
    try {
      pending = work();
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (error instanceof SessionError) return reject(error);
        const message = `${operation}: the ${backend} store failed: ${messageOf(error)}`;
        reject(new SessionError('STORAGE_ERROR', message, { backend, operation }, { cause: error }));
      },
    );
  });
}
