// What one request knows about its session, kept on the h3 event.
import type { H3Event } from 'h3';
import type { ResolvedSessionConfig, SessionData } from './config';
import { SessionError } from './errors';
import { withUpstreamPhrase } from './upstream-phrase';
import { prerenderWriteError } from '../http/prerender';
import type { SessionRecord } from './record';
import type { SessionStore } from './backend';
import { isPending } from './internal/is-pending';
import { withStoreTimeout } from './internal/with-store-timeout';

/** Where a request's session state lives on `event.context` (a string, so duplicated bundles share it). */
export const SESSION_CONTEXT_KEY = '@analog-tools/session';

/** A session ID with its store key. */
export interface SessionKey {
  id: string;
  /** prefix + SHA-256 of the ID. */
  key: string;
}

/** What one request knows about its session. */
export interface SessionState<T extends SessionData = SessionData> {
  config: ResolvedSessionConfig<T>;
  store: SessionStore;
  /** The session ID, or null while the session exists only in this request. */
  id: string | null;
  /** The store key of `id`: prefix + SHA-256 of the ID. */
  key: string | null;
  /** The record as last read or written by this request. */
  record: SessionRecord<T> | null;
  /** What getSession() returns. */
  data: T;
  /** The request carried a session cookie (valid or not). */
  hadCookie: boolean;
  /** The ID a not-yet-stored session will get; its key is what this request's first writes lock. */
  fresh?: SessionKey;
  /** The signed cookie value of `id` under the first secret, once known: writes then skip the HMAC. */
  signed?: { id: string; value: string };
  /** The route Nitro is prerendering with this request: the session is anonymous and refuses writes. */
  prerender?: string;
}

/** What to do when a call needs the session of a request that has none. */
export const NO_SESSION_FIX = 'Call useSession(event, config) first, or install defineSessionMiddleware(config).';

/** The state useSession() attached to this event, if any. */
export function getSessionState<T extends SessionData = SessionData>(event: H3Event): SessionState<T> | undefined {
  return event.context[SESSION_CONTEXT_KEY] as SessionState<T> | undefined;
}

/** The state, or a `SessionError` `INVALID_SESSION` naming the caller. */
export function requireSessionState<T extends SessionData = SessionData>(event: H3Event, caller: string): SessionState<T> {
  const state = getSessionState<T>(event);
  if (!state) {
    throw new SessionError(
      'INVALID_SESSION',
      withUpstreamPhrase(caller, `${caller}: no active session on this request. ${NO_SESSION_FIX}`),
    );
  }
  if (state.prerender !== undefined) throw prerenderWriteError(caller, state.prerender);
  return state;
}

/** Forgets the stored session in this request: it continues as a new, unsaved one. */
export function resetState<T extends SessionData>(state: SessionState<T>): void {
  state.id = null;
  state.key = null;
  state.record = null;
  state.fresh = undefined;
  state.data = state.config.generate();
}

/** Runs a store operation under the config's timeout, turning every failure into `STORAGE_ERROR`. */
export function storeCall<R>(state: SessionState<any>, operation: string, work: () => Promise<R>): Promise<R> {
  return withStoreTimeout(state.store.backend, operation, state.config.timeout, work);
}

/**
 * storeCall for an operation that may answer synchronously (an in-process driver such as memory): such an
 * answer cannot hang, so it skips the timeout, its promise and a tick. A thrown error still becomes `STORAGE_ERROR`.
 */
export function storeStep<R>(state: SessionState<any>, operation: string, work: () => R | PromiseLike<R>): R | Promise<R> {
  let result: R | PromiseLike<R>;
  try {
    result = work();
  } catch (error) {
    return storeCall(state, operation, () => Promise.reject(error));
  }
  return isPending(result) ? storeCall(state, operation, () => Promise.resolve(result)) : (result as R);
}
