import { recordUserSet } from '../core/keys';
import { handleOf, isHeard, reportSessionEvents } from '../core/session-events';
import { storeCall } from '../core/state';
import { withSessionLock } from '../core/write';
import type { SessionEvent } from '../http/event';
import { clearCookie } from '../http/session-cookie';
import { getSessionState, setSessionState } from '../http/session-state';

/**
 * Deletes the session's record, clears the event context and expires the cookie (with the same name, path,
 * domain, secure and sameSite it was set with). Safe to call when there is no session.
 *
 * @throws SessionError `STORAGE_ERROR` when the store fails; the cookie is cleared either way.
 *
 * @example
 * await destroySession(event);
 */
export async function destroySession(event: SessionEvent): Promise<void> {
  const state = getSessionState(event);
  if (!state) return;
  const destroy = async () => {
    try {
      const key = state.key;
      if (key) {
        const userSet = await recordUserSet(state.config.prefix, state.record, state.store.hashTags);
        const removed = await storeCall(state, 'destroySession()', (deadline) => state.store.remove(key, userSet, deadline));
        // Its cookie can only lead to a fresh session now: no reason to remember it as verified.
        if (state.signed) state.config.verifiedCookies.delete(encodeURIComponent(state.signed.value));
        if (removed && isHeard(state.store.events)) {
          const session = await handleOf(state.store.memberName(key));
          const userId = state.record?.userId ?? null;
          await reportSessionEvents(state.store.events, [{ type: 'destroyed', session, userId, at: Date.now() }]);
        }
      }
    } finally {
      if (state.key || state.hadCookie) clearCookie(event, state);
      setSessionState(event, undefined);
    }
  };
  // Nothing stored and nothing being stored: no lock to wait for.
  await (state.key || state.fresh ? withSessionLock(state, destroy) : destroy());
}
