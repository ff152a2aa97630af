// What one request knows about its session (kept on the event's context by http/session-state.ts).
import type { ResolvedSessionConfig, SessionData } from './config';
import type { SessionRecord } from './record';
import type { SessionBackend } from './backend';
import { isPending } from './internal/is-pending';
import { withStoreTimeout } from './internal/with-store-timeout';

/** A session ID with its store key. */
export interface SessionKey {
  id: string;
  /** prefix + SHA-256 of the ID. */
  key: string;
}

/** What one request knows about its session. */
export interface SessionState<T extends SessionData = SessionData> {
  config: ResolvedSessionConfig<T>;
  store: SessionBackend;
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
  /**
   * When this request's session was loaded (ms since epoch): before anything the request checked, such as a
   * password. A session it binds to a user counts as created then at the latest (see UserSetChange.bindCreatedAt).
   */
  loadedAt: number;
  /** The ID a not-yet-stored session will get; its key is what this request's first writes lock. */
  fresh?: SessionKey;
  /** The signed cookie value of `id` under the first secret, once known: writes then skip the HMAC. */
  signed?: { id: string; value: string };
  /** config.csrf checks this request (an unsafe method on a route not ignored): a live session needs its token. */
  guarded: boolean;
  /** The CSRF token of `id` (config.csrf), once known. */
  xsrf?: { id: string; token: string };
  /** The route Nitro is prerendering with this request: the session is anonymous and refuses writes. */
  prerender?: string;
  /** The response was handed to the host (set by the v2 middleware): a later cookie cannot reach the browser. */
  responded: boolean;
  /**
   * The request's cookie names a session another request moved to a new ID (core/record.ts MOVED_MARK_MS): it
   * stays anonymous, and creates no session whose cookie would replace the browser's new one.
   */
  moved: boolean;
}

/**
 * A request's state before its cookie is read. Every field is declared here, the optional ones too, so that every
 * state keeps one shape: a read that keeps its signed cookie, a write that draws a new ID, or a prerender fills a
 * field instead of adding one.
 */
export function createSessionState<T extends SessionData>(config: ResolvedSessionConfig<T>, store: SessionBackend): SessionState<T> {
  return {
    config,
    store,
    id: null,
    key: null,
    record: null,
    data: undefined as unknown as T,
    hadCookie: false,
    loadedAt: Date.now(),
    fresh: undefined,
    signed: undefined,
    guarded: false,
    xsrf: undefined,
    prerender: undefined,
    responded: false,
    moved: false,
  };
}

/** Forgets the stored session in this request: it continues as a new, unsaved one. */
export function resetState<T extends SessionData>(state: SessionState<T>): void {
  state.id = null;
  state.key = null;
  state.record = null;
  state.fresh = undefined;
  state.data = state.config.generate();
}

/**
 * Runs a store operation under the config's timeout, turning every failure into `STORAGE_ERROR`. `work` gets the
 * call's deadline (`performance.now()` time) for the backend's write methods.
 */
export function storeCall<R>(state: SessionState<any>, operation: string, work: (deadline: number) => Promise<R>): Promise<R> {
  return withStoreTimeout(state.store.backend, operation, state.config.timeout, work, state.store.telemetry);
}

/**
 * storeCall for an operation that may answer synchronously (an in-process driver such as memory): such an
 * answer cannot hang, so it skips the timeout, its promise and a tick. A thrown error still becomes `STORAGE_ERROR`.
 */
export function storeStep<R>(state: SessionState<any>, operation: string, work: (deadline: number) => R | PromiseLike<R>): R | Promise<R> {
  const deadline = performance.now() + state.config.timeout;
  let result: R | PromiseLike<R>;
  try {
    result = work(deadline);
  } catch (error) {
    return withStoreTimeout(
      state.store.backend,
      operation,
      state.config.timeout,
      () => Promise.reject(error),
      state.store.telemetry,
      deadline,
    );
  }
  return isPending(result)
    ? withStoreTimeout(state.store.backend, operation, state.config.timeout, () => Promise.resolve(result), state.store.telemetry, deadline)
    : (result as R);
}
