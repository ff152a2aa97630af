import type { SessionData } from '../core/config';
import { isExpired, parseRecord } from '../core/record';
import { storeCall } from '../core/state';
import type { SessionEvent } from '../http/event';
import { getSessionState } from '../http/session-state';

/**
 * Re-reads the session's data from the store, bypassing the copy useSession() loaded for this request:
 * use it when another request may have written the session meanwhile (for instance, after a failed token
 * refresh, to see whether a concurrent request refreshed successfully). Returns `null` when the request has
 * no stored session or its record is gone or expired. A newer record also becomes what getSession() returns
 * and what the next write starts from.
 *
 * @throws SessionError `STORAGE_ERROR` when the store fails or does not answer in time.
 *
 * @example
 * const latest = await refetchSession<AuthSession>(event);
 * if (latest?.auth?.expiresAt > Date.now()) return; // another request already refreshed the token
 */
export async function refetchSession<T extends SessionData = SessionData>(event: SessionEvent): Promise<T | null> {
  const state = getSessionState<T>(event);
  const key = state?.key;
  if (!state || !key) return null;
  const record = parseRecord<T>(await storeCall(state, 'refetchSession()', async () => state.store.get(key)));
  if (!record || isExpired(record, Date.now(), state.config)) return null;
  // Another write of this request may have moved the session meanwhile (regenerate, destroy): keep its state.
  if (state.key === key && record.version > (state.record?.version ?? 0)) {
    state.record = record;
    state.data = record.data;
  }
  return { ...record.data };
}
