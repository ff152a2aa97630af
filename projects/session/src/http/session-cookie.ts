// The session cookie: `s:` + ID + `.` + HMAC, set with a Max-Age that follows the record's expiry.
import { parse as parseCookies, serialize } from 'cookie-es';
import { signCookie, unsignCookie } from '../core/cookie-signature';
import { messageOf, SessionError } from '../core/errors';
import { remainingMs } from '../core/record';
import type { SessionState } from '../core/state';
import { markSessionResponse } from './cache-control';
import { clearTokenCookie, writeTokenCookie } from './csrf';
import { isNodeResponseSent, requestHeader, setCookieHeader, type SessionEvent } from './event';

/** Whether the response's headers are gone, so no cookie can be set or cleared any more. */
function isResponseSent(event: SessionEvent, state: SessionState<any>): boolean {
  return state.responded || isNodeResponseSent(event);
}

/**
 * Sets the signed session cookie with a Max-Age matching the record's remaining life. Synchronous once the
 * signed value is known (the usual write, on a session that came with its cookie): a promise only for an HMAC.
 */
export function writeCookie(event: SessionEvent, state: SessionState<any>): Promise<void> | void {
  const { id, record, config } = state;
  if (!id || !record) return;
  // Late write (after the response): the store write stands, only the cookie refresh is skipped.
  if (isResponseSent(event, state)) return skipLateCookie(event, state, id);
  if (state.signed?.id === id) {
    setSessionCookie(event, state, state.signed.value);
    return config.csrf ? writeTokenCookie(event, state) : undefined;
  }
  return signCookie(id, config.secrets[0]).then(
    (value) => {
      state.signed = { id, value };
      setSessionCookie(event, state, value);
      return config.csrf ? writeTokenCookie(event, state) : undefined;
    },
    (error: unknown) => {
      throw cookieError(`could not set the session cookie '${config.name}'`, error);
    },
  );
}

function cookieError(what: string, error: unknown): SessionError {
  return new SessionError('COOKIE_ERROR', `${what}: ${messageOf(error)}`, undefined, { cause: error });
}

function setSessionCookie(event: SessionEvent, state: SessionState<any>, value: string): void {
  const { record, config } = state;
  try {
    markSessionResponse(event, config);
    // A session not remembered gets a cookie that ends with the browser (no Max-Age).
    const maxAge = record!.persistent === false ? undefined : Math.max(1, Math.ceil(remainingMs(record!, Date.now()) / 1000));
    setCookieHeader(event, config.name, serialize(config.name, value, { ...config.cookie, maxAge }));
  } catch (error) {
    throw cookieError(`could not set the session cookie '${config.name}'`, error);
  }
}

/** Expires the session cookie with the attributes it was set with, so the browser really drops it. */
export function clearCookie(event: SessionEvent, state: SessionState<any>): void {
  // Late destroy (after the response): the record is gone, so the stale cookie only yields a fresh session.
  if (isResponseSent(event, state)) return;
  const { config } = state;
  try {
    setCookieHeader(event, config.name, serialize(config.name, '', { ...config.cookie, maxAge: 0 }));
    if (config.csrf) clearTokenCookie(event, config);
  } catch (error) {
    throw cookieError(`could not clear the session cookie '${config.name}'`, error);
  }
}

/**
 * Decides a cookie refresh asked for after the response was sent (the upstream auth package refreshes tokens in
 * the background, then writes). Resolves when the browser already has a cookie naming `id`, as the refresh would
 * only have moved Max-Age; rejects with `COOKIE_ERROR` when the session got a new ID the browser can no longer learn.
 */
async function skipLateCookie(event: SessionEvent, state: SessionState<any>, id: string): Promise<void> {
  if (state.signed?.id === id) return;
  const header = requestHeader(event, 'cookie');
  const sent = header === undefined ? undefined : parseCookies(header)[state.config.name];
  if (sent !== undefined && (await unsignCookie(sent, state.config.secrets)) === id) return;
  throw new SessionError(
    'COOKIE_ERROR',
    "the response was already sent, so the browser cannot receive the session's new ID (the store holds it, unused). " +
      'Create or regenerate the session before the response ends.',
  );
}
