import { messageOf, SessionError } from './session-error';

/** Rejects with `STORAGE_ERROR` when `operation` fails or takes longer than `timeoutMs`. */
export function withStoreTimeout<R>(backend: string, operation: string, timeoutMs: number, work: () => Promise<R>): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const timer = setTimeout(() => {
      const message = `${operation}: the ${backend} store did not answer within ${timeoutMs} ms. Check that it is reachable, or raise config.timeout.`;
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
        const failure = new SessionError('STORAGE_ERROR', `${operation}: the ${backend} store failed: ${messageOf(error)}`, { backend, operation }, { cause: error });
        reject(error instanceof SessionError ? error : failure);
      },
    );
  });
}
