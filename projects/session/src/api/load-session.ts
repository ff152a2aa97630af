import type { H3Event } from 'h3';
import { unsignCookie } from '../core/cookie-signature';
import type { Storage } from 'unstorage';
import { resolveSessionConfig, type ResolvedSessionConfig, type SessionConfig, type SessionData } from '../core/config';
import { getSessionStore } from '../stores/get-backend';
import type { SessionStore } from '../core/backend';
import { mutateStored, persistNew, withSessionLock } from '../core/write';
import { SIGNED_COOKIE_SHAPE } from '../http/session-cookie';
import { storeKey } from '../core/keys';
import { isExpired } from '../core/record';
import { parseRemembered } from '../core/record-cache';
import { createSessionState } from '../core/create-session-state';
import { getSessionState, SESSION_CONTEXT_KEY, storeCall, storeStep, type SessionState } from '../core/state';
import { schedulePrune } from '../stores/prune-expired-sessions';
import { createVerifiedCookieCache, type VerifiedCookie } from '../core/verified-cookies';
import { decodeCookieValue, readSessionCookies } from '../http/request-cookies';
import { markSessionResponse } from '../http/cache-control';
import { createPrerenderState, getPrerenderRoute } from '../http/prerender';
import { adoptLegacySession } from '../core/legacy-sessions';

type VerifiedCookieCache = ReturnType<typeof createVerifiedCookieCache>;

/** Per resolved config: saves 9 µs per request with a known cookie (HMAC and key hash), bench/micro-write.mjs. */
const verifiedCookies = new WeakMap<object, VerifiedCookieCache>();

/** What reading a session needs of a config, found once its store is known. */
interface ReadPath<T extends SessionData = SessionData> {
  config: SessionConfig<T>;
  resolved: ResolvedSessionConfig<T>;
  store: SessionStore;
  cookies: VerifiedCookieCache;
}

/**
 * The read path of the config the last request used (an app has one): one comparison instead of four WeakMap
 * lookups, each a few cache lines that a server's other work evicts between two requests. Measured with the two
 * changes beside it (record-cache.ts, prune-expired-sessions.ts): a cache-evicted read 3.65 → 3.38 µs (micro-cold.mjs).
 */
let lastPath: ReadPath<any> | undefined;

/** Whether `config` is the one the last session read used: a config this function takes, not a v0.0.3 one. */
export function isLastConfig(config: object): boolean {
  return lastPath !== undefined && lastPath.config === config;
}

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
 *   `CONFIG_ERROR` for an unusable config (missing store, short secret in production). An error thrown by
 *   your own `generate()` reaches you unchanged: it is not the session's to relabel.
 *
 * Internal form: returns a promise only when something was pending, and may throw synchronously. The public
 * useSession() (use-session-entry.ts) always returns a promise; the other callers await it in async functions.
 *
 * @example
 * await useSession(event, { store, secret: process.env['SESSION_SECRET']!, maxAge: 3600 });
 */
export function useSession<T extends SessionData = SessionData>(event: H3Event, config: SessionConfig<T>): Promise<void> | void {
  if (getSessionState(event)) return;
  const prerender = getPrerenderRoute(event);
  if (prerender !== undefined) return void (event.context[SESSION_CONTEXT_KEY] = createPrerenderState(config, prerender));
  const path = lastPath;
  if (path !== undefined && path.config === config) return loadSession(event, config, path);
  const resolved = resolveSessionConfig(config);
  if (resolved.store) return loadSession(event, config, readPathOf(config, resolved, resolved.store));
  return resolved.storeReady.then((storage) => loadSession(event, config, readPathOf(config, resolved, storage)));
}

/** The read path of `config`, remembered as the last one used. */
function readPathOf<T extends SessionData>(
  config: SessionConfig<T>,
  resolved: ResolvedSessionConfig<T>,
  storage: Storage<any>,
): ReadPath<T> {
  let cookies = verifiedCookies.get(resolved);
  if (!cookies) verifiedCookies.set(resolved, (cookies = createVerifiedCookieCache()));
  return (lastPath = { config, resolved, store: getSessionStore(storage, resolved.prefix, resolved), cookies });
}

/**
 * useSession() once the store is known. The usual request, one cookie verified before, needs neither a promise
 * nor a tick on an in-process store, and one store round trip otherwise. With the shorter index of verified-cookies.ts:
 * 1.30 -> 1.14 µs per read in an in-process loop (median of 4 runs' minimums).
 */
function loadSession<T extends SessionData>(event: H3Event, config: SessionConfig<T>, path: ReadPath<T>): Promise<void> | void {
  const { resolved, cookies: cache } = path;
  const state = createSessionState(resolved, path.store);
  const cookies = readSessionCookies(event, resolved.name);
  if (cookies.length === 0) return startSession(event, state, Date.now());
  state.hadCookie = true;
  markSessionResponse(event, resolved, true);
  const verified = cookies.length === 1 ? cache.get(cookies[0]!) : undefined;
  if (!verified) return verifyAndLoad(event, config, state, cache, cookies);
  const raw = readRecord(state, verified.key);
  if (raw instanceof Promise) {
    return raw.then((value) => {
      const now = Date.now();
      acceptRecord(state, verified, value, now);
      return startSession(event, state, now);
    });
  }
  // One clock read for the expiry check, the touch and the prune schedule.
  const now = Date.now();
  acceptRecord(state, verified, raw, now);
  return startSession(event, state, now);
}

/** loadSession() for cookies to verify first (an HMAC each), or more than one cookie. */
async function verifyAndLoad<T extends SessionData>(
  event: H3Event,
  config: SessionConfig<T>,
  state: SessionState<T>,
  cache: VerifiedCookieCache,
  cookies: string[],
): Promise<void> {
  // A tossed cookie may come first: the first value that verifies and has a live record wins.
  let unverified: string | undefined;
  // Each step awaits only what is really pending (a new HMAC, a store read): every await is a tick of every request.
  for (const cookie of cookies) {
    const verified = cache.get(cookie) ?? (await verifyCookie(state, cache, cookie));
    if (!verified) {
      unverified ??= cookie;
      continue;
    }
    let raw = readRecord(state, verified.key);
    if (raw instanceof Promise) raw = await raw;
    if (acceptRecord(state, verified, raw, Date.now())) break;
  }
  // A session of the published 0.0.3–0.0.24 releases is adopted once (compat/upstream-migration.ts).
  if (!state.key && unverified !== undefined) {
    await adoptLegacySession(event, state, decodeCookieValue(unverified), config.legacySessions);
  }
  await startSession(event, state, Date.now());
}

/**
 * Puts the loaded session on the event, then writes what is due: a new session (`saveUninitialized`) or a touch.
 * `now`: the time the record was checked at.
 */
function startSession<T extends SessionData>(event: H3Event, state: SessionState<T>, now: number): Promise<void> | void {
  const { config } = state;
  state.data ??= config.generate();
  event.context[SESSION_CONTEXT_KEY] = state;
  schedulePrune(state, now);

  if (!state.key) {
    if (config.saveUninitialized) return withSessionLock(state, () => persistNew(event, state, state.data));
  } else if (now - state.record!.updatedAt >= config.touchAfter * 1000) {
    // Slide the idle expiry, at most once per touchAfter. A failed touch leaves a valid session valid.
    const touch = () => mutateStored(event, state, 'useSession()', (current) => ({ data: current.data, userId: current.userId }));
    return withSessionLock(state, touch).catch(() => undefined);
  }
}

/**
 * The verified ID and key of a cookie value (as sent) not in the cache, cached under that text; undefined when
 * its signature does not verify.
 */
async function verifyCookie(state: SessionState<any>, cache: VerifiedCookieCache, sent: string): Promise<VerifiedCookie | undefined> {
  let verified: VerifiedCookie | undefined;
  const cookie = decodeCookieValue(sent);
  if (SIGNED_COOKIE_SHAPE.test(cookie)) {
    const [primary, ...older] = state.config.secrets;
    let id = await unsignCookie(cookie, primary);
    const current = id !== null;
    id ??= older.length ? await unsignCookie(cookie, older) : null;
    if (id) {
      const key = await storeKey(state.config.prefix, id, state.store.hashTags);
      cache.set((verified = { sent, id, key, current, value: cookie, last: undefined }));
    }
  }
  return verified;
}

/** Takes the raw record of a verified cookie into `state`; false when it is missing or expired at `now`. */
function acceptRecord<T extends SessionData>(state: SessionState<T>, verified: VerifiedCookie, raw: unknown, now: number): boolean {
  const { id, key } = verified;
  const record = parseRemembered<T>(verified, state.store, key, raw);
  if (record && !isExpired(record, now, state.config)) {
    state.id = id;
    state.key = key;
    state.record = record;
    state.data = record.data;
    // A cookie signed with the current secret is exactly what a write would set again.
    if (verified.current) state.signed = verified;
    return true;
  }
  // Expired: delete it now rather than wait for a sweep; the request does not depend on it.
  if (record) storeCall(state, 'useSession()', () => state.store.remove(key)).catch(() => undefined);
  return false;
}

/** Reads a raw record; a synchronous answer skips the timeout machinery and its promise. Pending: a Promise. */
function readRecord(state: SessionState<any>, key: string): unknown {
  return storeStep(state, 'useSession()', () => state.store.get(key));
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
