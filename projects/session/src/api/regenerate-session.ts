import type { SessionData } from '../core/config';
import { SLOT_TAG_LENGTH } from '../core/keys';
import type { SessionRecord } from '../core/record';
import { newSessionKey, withSessionLock } from '../core/write';
import type { SessionEvent } from '../http/event';
import { requireSessionState } from '../http/session-state';
import { createSession, writeSession } from '../http/write-session';

/** Options of {@link regenerateSession}. */
export interface RegenerateSessionOptions {
  /**
   * Carry the data over to the new ID. `false` starts the new session from `config.generate()`, as
   * express-session does: at login, nothing planted in the anonymous session before it survives.
   * The start time and the user binding are kept either way. @default true
   */
  keepData?: boolean;
}

/**
 * Moves the session's data to a new ID and deletes the old record, so the old cookie is dead everywhere at
 * once (one atomic step on Redis). Call it after every privilege change, such as a login, to prevent
 * session fixation. The session keeps its data (unless `{ keepData: false }`), its start time and its user.
 *
 * @throws SessionError `INVALID_SESSION` without useSession(); `EXPIRED_SESSION` when the old record is gone.
 *
 * @example
 * await regenerateSession(event, { keepData: false }); // at login: a new ID and a clean start
 * await updateSession(event, () => ({ userId: user.id }));
 */
export async function regenerateSession<T extends SessionData = SessionData>(
  event: SessionEvent,
  options: RegenerateSessionOptions = {},
): Promise<void> {
  const state = requireSessionState<T>(event, 'regenerateSession()');
  const keepData = options.keepData ?? true;
  await withSessionLock(state, async () => {
    if (!state.key) {
      await createSession(event, state, keepData ? state.data : state.config.generate(), 'regenerateSession()');
      return;
    }
    // On Redis Cluster the new ID keeps the old one's slot, so the move is one atomic script.
    const renameTo = await newSessionKey(state.config.prefix, state.store.hashTags, state.id!.slice(0, SLOT_TAG_LENGTH));
    const carry = (current: SessionRecord<T>) => ({ data: keepData ? current.data : state.config.generate(), userId: current.userId });
    await writeSession(event, state, 'regenerateSession()', carry, renameTo);
  });
}
