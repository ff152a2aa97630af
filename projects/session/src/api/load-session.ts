import { resolveSessionConfig, type ResolvedSessionConfig, type SessionConfig, type SessionData } from '../core/config';
import { SessionError } from '../core/errors';
import { adoptLegacySession } from '../core/legacy-sessions';
import { acceptRecord, liveRecord, readRecord, takeRecord, verifyCookie } from '../core/load';
import type { SessionRecord } from '../core/record';
import { createSessionState, type SessionState } from '../core/state';
import type { VerifiedCookie } from '../core/verified-cookies';
import { withSessionLock } from '../core/write';
import { markSessionResponse } from '../http/cache-control';
import { checkSessionToken, guardRequest } from '../http/csrf';
import type { SessionEvent } from '../http/event';
import { createPrerenderState, getPrerenderRoute } from '../http/prerender';
import { decodeCookieValue, readSessionCookies } from '../http/request-cookies';
import { writeCookie } from '../http/session-cookie';
import { getSessionState, setSessionState } from '../http/session-state';
import { createSession, writeSession } from '../http/write-session';
import { getSessionBackend } from '../stores/get-backend';
import { schedulePrune } from '../stores/prune-expired-sessions';
import { loadTelemetry, observeBackend, type StoreTelemetry } from '../stores/telemetry';

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
 * Returns a promise only when something was pending, and may throw synchronously: the public useSession()
 * (use-session.ts) always returns a promise; the other callers await it in async functions.
 */
export function loadSession<T extends SessionData = SessionData>(
  event: SessionEvent,
  config: SessionConfig<T>,
  caller = 'useSession()',
): Promise<void> | void {
  if (getSessionState(event)) return;
  const prerender = getPrerenderRoute(event, config);
  if (prerender !== undefined) return setSessionState(event, createPrerenderState(config, prerender));
  const resolved = resolveSessionConfig(config, caller);
  if (resolved.backend) return readSession(event, resolved);
  if (resolved.store && resolved.telemetry === false) return readSession(event, withBackend(resolved, resolved.store, undefined));
  // The first requests: OpenTelemetry, when installed, is imported once (stores/telemetry.ts) before the backend is known.
  return Promise.all([resolved.storeReady, loadTelemetry(resolved.telemetry, caller)]).then(([storage, telemetry]) =>
    readSession(event, withBackend(resolved, storage, telemetry)),
  );
}

/**
 * The request's session for a handler that may run without the middleware (`caller` names it in the error): the
 * middleware's when it ran, else loaded with `config`; `INVALID_SESSION` naming the fix when there is neither.
 */
export async function handlerSession<T extends SessionData>(
  event: SessionEvent,
  config: SessionConfig<T> | undefined,
  caller: string,
): Promise<SessionState<T>> {
  if (!getSessionState(event)) {
    if (!config) {
      throw new SessionError(
        'INVALID_SESSION',
        `${caller}: no session on this request. Install defineSessionMiddleware(config), or pass { config }.`,
      );
    }
    await loadSession(event, config);
  }
  return getSessionState<T>(event)!;
}

function withBackend<T extends SessionData>(
  resolved: ResolvedSessionConfig<T>,
  storage: NonNullable<ResolvedSessionConfig['store']>,
  telemetry: StoreTelemetry | undefined,
) {
  if (!resolved.backend) {
    resolved.backend = observeBackend(getSessionBackend(storage, resolved.prefix), telemetry);
    // The store's events reach this config's hook from now on, whichever call (or config) makes them happen.
    if (resolved.onEvent) resolved.backend.events.hooks.add(resolved.onEvent);
  }
  return resolved;
}

/**
 * loadSession() once the backend is known. The usual request, one cookie verified before, needs neither a promise
 * nor a tick on an in-process store, and one store round trip otherwise.
 */
function readSession<T extends SessionData>(event: SessionEvent, config: ResolvedSessionConfig<T>): Promise<void> | void {
  const state = createSessionState(config, config.backend!);
  const cookies = readSessionCookies(event, config.name);
  // CSRF (config.csrf): the origin check comes before any store call, so a refused request reads and writes nothing.
  if (config.csrf) state.guarded = guardRequest(event, config.csrf, cookies.length > 0);
  if (cookies.length === 0) return startSession(event, state, Date.now());
  state.hadCookie = true;
  markSessionResponse(event, config);
  const verified = cookies.length === 1 ? config.verifiedCookies.get(cookies[0]!) : undefined;
  if (!verified) return verifyAndLoad(event, state, cookies);
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

/**
 * readSession() for cookies to verify first (an HMAC each), or more than one cookie. A browser sends a tossed cookie
 * (planted by a sibling subdomain, or with a longer path) ahead of the site's own: one value with a live session
 * is served whatever else comes with it, but two different live sessions are ambiguous, and serving either could
 * sign the victim into the attacker's account (login CSRF): the request then starts a fresh session.
 */
async function verifyAndLoad<T extends SessionData>(event: SessionEvent, state: SessionState<T>, cookies: string[]): Promise<void> {
  const { config } = state;
  let unverified: string | undefined;
  let found: { verified: VerifiedCookie; record: SessionRecord<T> } | undefined;
  let ambiguous = false;
  for (const cookie of cookies) {
    const verified = config.verifiedCookies.get(cookie) ?? (await verifyCookie(state, cookie, decodeCookieValue(cookie)));
    if (!verified) {
      unverified ??= cookie;
      continue;
    }
    if (found?.verified.id === verified.id) continue;
    let raw = readRecord(state, verified.key);
    if (raw instanceof Promise) raw = await raw;
    const record = liveRecord(state, verified, raw, Date.now());
    if (!record) continue;
    if (found) ambiguous = true;
    else found = { verified, record };
  }
  if (found && !ambiguous) takeRecord(state, found.verified, found.record);
  // A session of the published 0.0.3–0.0.24 releases is adopted once (core/legacy-sessions.ts).
  if (!state.key && !ambiguous && unverified !== undefined) {
    if (await adoptLegacySession(state, decodeCookieValue(unverified), config.legacySessions)) await writeCookie(event, state);
  }
  await startSession(event, state, Date.now());
}

/**
 * Serves the loaded session (serveSession), after the CSRF token check of a live one (config.csrf), which may refuse
 * the request before anything is written. `now`: the time the record was checked at.
 */
function startSession<T extends SessionData>(event: SessionEvent, state: SessionState<T>, now: number): Promise<void> | void {
  // A live session's token is checked (and its cookie issued) before the session is served or touched.
  if (state.config.csrf && state.key) {
    const checked = checkSessionToken(event, state, state.guarded);
    if (checked) return checked.then(() => serveSession(event, state, now));
  }
  return serveSession(event, state, now);
}

/** Puts the loaded session on the event, then writes what is due: a new session (`saveUninitialized`) or a touch. */
function serveSession<T extends SessionData>(event: SessionEvent, state: SessionState<T>, now: number): Promise<void> | void {
  const { config } = state;
  state.data ??= config.generate();
  setSessionState(event, state);
  schedulePrune(state, now);

  if (!state.key) {
    if (config.saveUninitialized && !state.moved)
      return withSessionLock(state, () => createSession(event, state, state.data, 'useSession()'));
  } else if (now - state.record!.updatedAt >= touchAfterMsOf(config, state.record!)) {
    // Slide the idle expiry, at most once per touchAfter: judged again on the freshest record, so concurrent reads
    // (queued here, or on other instances) touch once. A failed touch leaves a valid session valid.
    const touchAfterMs = touchAfterMsOf(config, state.record!);
    const touch = () =>
      writeSession(event, state, 'useSession()', (current) =>
        Date.now() - current.updatedAt < touchAfterMs ? undefined : { data: current.data, userId: current.userId },
      );
    return withSessionLock(state, touch).catch(() => undefined);
  }
}

/**
 * How old a record's last write may get before a read re-writes it. A session not remembered (`persistent: false`)
 * idles out after `browserSessionMaxAge`, which may be shorter than `touchAfter`: its reads slide it within half of that.
 */
function touchAfterMsOf(config: ResolvedSessionConfig<any>, record: SessionRecord): number {
  const seconds = record.persistent === false ? Math.min(config.touchAfter, config.browserSessionMaxAge / 2) : config.touchAfter;
  return seconds * 1000;
}
