// Where a request's session state lives: a slot on the event's context.
import type { SessionData } from '../core/config';
import { noSessionError, prerenderWriteError } from '../core/errors';
import type { SessionState } from '../core/state';
import { eventContext, type SessionEvent } from './event';

/** The context key of a request's session state (a string, so duplicated bundles share it). */
export const SESSION_CONTEXT_KEY = '@analog-tools/session';

/** The state useSession() attached to this event, if any. */
export function getSessionState<T extends SessionData = SessionData>(event: SessionEvent): SessionState<T> | undefined {
  return eventContext(event)[SESSION_CONTEXT_KEY] as SessionState<T> | undefined;
}

/** Attaches (or, with `undefined`, removes) the request's session state. */
export function setSessionState(event: SessionEvent, state: SessionState<any> | undefined): void {
  const context = eventContext(event);
  if (state) context[SESSION_CONTEXT_KEY] = state;
  else delete context[SESSION_CONTEXT_KEY];
}

/** The state of a request that may write, or a `SessionError` `INVALID_SESSION` naming the caller. */
export function requireSessionState<T extends SessionData = SessionData>(event: SessionEvent, caller: string): SessionState<T> {
  const state = getSessionState<T>(event);
  if (!state) throw noSessionError(caller);
  if (state.prerender !== undefined) throw prerenderWriteError(caller, state.prerender);
  return state;
}
