import type { H3Event } from 'h3';
import type { SessionData } from './session-config';
import { mutateStored, newSessionKey, persistNew, withSessionLock } from './mutate-stored';
import { SLOT_TAG_LENGTH } from './session-keys';
import { requireSessionState } from './session-state';

/**
 * Moves the session's data to a new ID and deletes the old record, so the old cookie is dead everywhere at
 * once (one atomic step on Redis). Call it after every privilege change, such as a login, to prevent
 * session fixation. The session keeps its data, its start time and its user.
 *
 * @throws SessionError `INVALID_SESSION` without useSession(); `EXPIRED_SESSION` when the old record is gone.
 *
 * @example
 * await regenerateSession(event);
 * await updateSession(event, () => ({ userId: user.id }));
 */
export async function regenerateSession<T extends SessionData = SessionData>(event: H3Event): Promise<void> {
  const state = requireSessionState<T>(event, 'regenerateSession()');
  await withSessionLock(state, async () => {
    if (!state.key) {
      await persistNew(event, state, state.data);
      return;
    }
    // On Redis Cluster the new ID keeps the old one's slot, so the move is one atomic script.
    const renameTo = await newSessionKey(state.config.prefix, state.store.hashTags, state.id!.slice(0, SLOT_TAG_LENGTH));
    await mutateStored(event, state, 'regenerateSession()', (current) => ({ data: current.data, userId: current.userId }), renameTo);
  });
}
