import { checkSessionData } from '../core/check-session-data';
import type { SessionData } from '../core/config';
import { isForbiddenKey } from '../core/record';
import { withSessionLock } from '../core/write';
import type { SessionEvent } from '../http/event';
import { requireSessionState } from '../http/session-state';
import { createSession, writeSession } from '../http/write-session';

/** Shallow-merges `changes` into a copy of `data`: a key set to `undefined` is deleted. */
export function mergeSessionData<T extends SessionData>(data: T, changes: Partial<T> | undefined | null): T {
  const next = { ...data } as Record<string, unknown>;
  if (changes && typeof changes === 'object') {
    for (const key of Object.keys(changes)) {
      if (isForbiddenKey(key)) continue;
      const value = (changes as Record<string, unknown>)[key];
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
  }
  return next as T;
}

/**
 * Applies the updater's partial result to the session (shallow merge; a key returned as `undefined` is
 * deleted) and persists it.
 *
 * The updater receives the freshest stored data and may run more than once when another request wrote the
 * same session concurrently, so keep it free of side effects. Concurrent updates of one session never lose
 * each other's keys: within a process they are serialized, and on Redis a compare-and-set holds across
 * instances. A new session gets its ID and cookie here, on its first write.
 *
 * @throws SessionError `INVALID_SESSION` without useSession(); `EXPIRED_SESSION` when the session was
 *   destroyed, revoked or expired meanwhile; `STORAGE_ERROR` when the store fails; `INVALID_DATA` (store
 *   untouched) for a value that is not plain JSON, such as a BigInt, a cycle, a Date, a Map or a function.
 *
 * @example
 * await updateSession<UserSession>(event, (current) => ({ loginCount: (current.loginCount || 0) + 1 }));
 */
export async function updateSession<T extends SessionData = SessionData>(
  event: SessionEvent,
  updater: (current: T) => Partial<T>,
): Promise<void> {
  const state = requireSessionState<T>(event, 'updateSession()');
  // The step returns writeSession's promise rather than awaiting it: one async layer less per write.
  await withSessionLock(state, () => {
    if (!state.key) {
      const data = mergeSessionData(state.data, updater({ ...state.data }));
      checkSessionData(data, 'updateSession()');
      return createSession(event, state, data, 'updateSession()');
    }
    return writeSession(event, state, 'updateSession()', (current) => ({
      data: mergeSessionData(current.data, updater({ ...current.data })),
      userId: current.userId,
    }));
  });
}
