import type { H3Event } from 'h3';
import { withSessionLock } from '../core/write';
import { clearCookie } from '../http/session-cookie';
import { recordUserSet } from '../core/keys';
import { getSessionState, SESSION_CONTEXT_KEY, storeCall } from '../core/state';

/**
 * Deletes the session's record, clears the event context and expires the cookie (with the same name, path,
 * domain, secure and sameSite it was set with). Safe to call when there is no session.
 *
 * @throws SessionError `STORAGE_ERROR` when the store fails; the cookie is cleared either way.
 *
 * @example
 * await destroySession(event);
 */
export async function destroySession(event: H3Event): Promise<void> {
  const state = getSessionState(event);
  if (!state) return;
  const destroy = async () => {
    try {
      const key = state.key;
      if (key) {
        const userSet = await recordUserSet(state.config.prefix, state.record, state.store.hashTags);
        await storeCall(state, 'destroySession()', () => state.store.remove(key, userSet));
      }
    } finally {
      if (state.key || state.hadCookie) clearCookie(event, state);
      delete event.context[SESSION_CONTEXT_KEY];
    }
  };
  // Nothing stored and nothing being stored: no lock to wait for.
  await (state.key || state.fresh ? withSessionLock(state, destroy) : destroy());
}
