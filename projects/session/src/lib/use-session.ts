import type { H3Event } from 'h3';
import { getCookie } from 'h3';
import { unsignCookie } from './cookie-signature';
import { resolveSessionConfig, type SessionConfig, type SessionData } from './session-config';
import { isSessionError, messageOf, SessionError } from './session-error';
import { isExpired, parseRecord } from './session-record';
import { getSessionStore } from './session-store';
import { getSessionState, mutateStored, persistNew, SESSION_CONTEXT_KEY, storeCall, storeKey, type SessionState } from './session-state';
import { schedulePrune } from './prune-expired-sessions';
import { createVerifiedCookieCache } from './verified-cookies';
import { markSessionResponse } from './session-cache-control';
import { createPrerenderState, getPrerenderRoute } from './prerender-session';

const verifiedCookies = new WeakMap<object, ReturnType<typeof createVerifiedCookieCache>>();

/** The only cookie values worth an HMAC: `s:` + a 32-character ID + `.` + a 43-character signature. */
const SIGNED_ID = /^s:[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{43}$/;

/**
 * Initializes the session of a request: verifies the signed cookie, loads the record (one store read) and
 * keeps it on `event.context`. Calling it again on the same event does nothing.
 *
 * A missing, tampered, malformed, oversized or unknown cookie, or an expired record, gives a fresh session
 * with a new ID (the presented ID is never adopted). A fresh session is written, and its cookie set, only
 * when the request writes to it (or with `saveUninitialized: true`).
 *
 * A request that carries a session cookie gets `Cache-Control: config.cacheControl` at once. A Nitro prerender
 * request (`x-nitro-prerender`) gets an anonymous in-memory session without any config check or store call.
 *
 * @throws SessionError `STORAGE_ERROR` when the store fails or does not answer within `config.timeout`;
 *   `CONFIG_ERROR` for an invalid config (missing store, short secret in production).
 *
 * @example
 * await useSession(event, { store, secret: process.env['SESSION_SECRET']!, maxAge: 3600 });
 */
export async function useSession<T extends SessionData = SessionData>(event: H3Event, config: SessionConfig<T>): Promise<void> {
  if (getSessionState(event)) return;
  const prerender = getPrerenderRoute(event);
  if (prerender !== undefined) return void (event.context[SESSION_CONTEXT_KEY] = createPrerenderState(config, prerender));
  const resolved = resolveSessionConfig(config);
  try {
    const state: SessionState<T> = {
      config: resolved,
      store: getSessionStore(resolved.store ?? (await resolved.storeReady), resolved.prefix),
      id: null,
      key: null,
      record: null,
      data: undefined as unknown as T,
      hadCookie: false,
      queue: Promise.resolve(),
    };
    const cookie = getCookie(event, resolved.name);
    if (cookie !== undefined) {
      state.hadCookie = true;
      markSessionResponse(event, resolved);
      let cache = verifiedCookies.get(resolved);
      if (!cache) verifiedCookies.set(resolved, (cache = createVerifiedCookieCache()));
      let verified = cache.get(cookie);
      if (!verified && SIGNED_ID.test(cookie)) {
        const [primary, ...older] = resolved.secrets;
        let id = await unsignCookie(cookie, primary);
        const current = id !== null;
        id ??= older.length ? await unsignCookie(cookie, older) : null;
        if (id) cache.set(cookie, (verified = { id, key: await storeKey(resolved.prefix, id), current }));
      }
      if (verified) {
        const { id, key } = verified;
        const record = parseRecord<T>(await readRecord(state, key));
        const now = Date.now();
        if (record && !isExpired(record, now)) {
          Object.assign(state, { id, key, record, data: record.data });
          // A cookie signed with the current secret is exactly what a write would set again.
          if (verified.current) state.signed = { id, value: cookie };
        } else if (record) {
          // Expired: delete it now rather than wait for a sweep; the request does not depend on it.
          storeCall(state, 'useSession()', () => state.store.remove(key)).catch(() => undefined);
        }
      }
    }
    state.data ??= resolved.generate();
    event.context[SESSION_CONTEXT_KEY] = state;
    schedulePrune(state);

    if (!state.key) {
      if (resolved.saveUninitialized) await persistNew(event, state, state.data);
    } else if (Date.now() - state.record!.updatedAt >= resolved.touchAfter * 1000) {
      // Slide the idle expiry, at most once per touchAfter. A failed touch leaves a valid session valid.
      await mutateStored(event, state, 'useSession()', (current) => ({ data: current.data, userId: current.userId })).catch(() => undefined);
    }
  } catch (error) {
    if (isSessionError(error)) throw error;
    throw new SessionError('CRYPTO_ERROR', `useSession(): unexpected error during session initialization: ${messageOf(error)}`, undefined, { cause: error });
  }
}

/** Reads a raw record; a synchronous answer skips the timeout machinery and its promise. */
function readRecord(state: SessionState<any>, key: string): unknown {
  let raw: unknown;
  try {
    raw = state.store.get(key);
  } catch (error) {
    return storeCall(state, 'useSession()', () => Promise.reject(error));
  }
  return raw instanceof Promise || (raw !== null && typeof (raw as PromiseLike<unknown>)?.then === 'function') ? storeCall(state, 'useSession()', () => raw as Promise<unknown>) : raw;
}

/**
 * The current session data, or `null` when useSession() has not run on this event. A synchronous read of
 * the event context: it never touches the store.
 *
 * @example
 * const session = getSession<UserSession>(event);
 * if (session?.userId) { ... }
 */
export function getSession<T extends SessionData = SessionData>(event: H3Event): T | null {
  return getSessionState<T>(event)?.data ?? null;
}
