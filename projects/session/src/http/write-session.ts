// The store writes of core/write.ts, followed by what they mean for the response: the session cookie set when it
// is due, cleared when the session turned out to be gone.
import type { SessionData } from '../core/config';
import { isSessionError } from '../core/errors';
import type { SessionRecord } from '../core/record';
import type { SessionKey, SessionState } from '../core/state';
import { movedSessionError, mutateStored, persistNew, type Mutation } from '../core/write';
import type { SessionEvent } from './event';
import { clearCookie, writeCookie } from './session-cookie';

/**
 * Stores `data` as this request's brand-new session and sets its cookie. Call it under withSessionLock. Refused
 * (`EXPIRED_SESSION`, nothing written) on a request whose cookie names a session that moved to a new ID meanwhile.
 */
export async function createSession<T extends SessionData>(
  event: SessionEvent,
  state: SessionState<T>,
  data: T,
  operation: string,
): Promise<void> {
  if (state.moved) throw movedSessionError(state, operation);
  await persistNew(state, data);
  await writeCookie(event, state);
}

/**
 * mutateStored(), then the cookie: re-sent when due, cleared when the record is gone (`EXPIRED_SESSION`). Call it
 * under withSessionLock, on a stored session.
 */
export async function writeSession<T extends SessionData>(
  event: SessionEvent,
  state: SessionState<T>,
  operation: string,
  change: (current: SessionRecord<T>) => Mutation<T> | undefined,
  renameTo?: SessionKey,
): Promise<void> {
  let due: boolean;
  try {
    due = await mutateStored(state, operation, change, renameTo);
  } catch (error) {
    // Not when it moved: the browser's cookie is then the new one.
    if (isSessionError(error) && error.code === 'EXPIRED_SESSION' && !state.moved) clearCookie(event, state);
    throw error;
  }
  if (due) await writeCookie(event, state);
}
