// The session cookie: `s:` + ID + `.` + HMAC, set with a Max-Age that follows the record's expiry.
import type { H3Event } from 'h3';
import { deleteCookie, setCookie } from 'h3';
import { signCookie } from '../core/cookie-signature';
import { SESSION_ID_BYTES } from '../core/crypto';
import { isResponseSent, skipLateCookie } from './late-write';
import { markSessionResponse } from './cache-control';
import { messageOf, SessionError } from '../core/errors';
import { remainingMs } from '../core/record';
import type { SessionState } from '../core/state';

const base64UrlLength = (bytes: number) => Math.ceil((bytes * 4) / 3);
/** Bytes of an HMAC-SHA256. */
const SIGNATURE_BYTES = 32;

const base64Url = (bytes: number) => `[A-Za-z0-9_-]{${base64UrlLength(bytes)}}`;

/** The only cookie values worth an HMAC: `s:` + a session ID + `.` + a signature, both base64url. */
export const SIGNED_COOKIE_SHAPE = new RegExp(`^s:${base64Url(SESSION_ID_BYTES)}\\.${base64Url(SIGNATURE_BYTES)}$`);

/** Per resolved config: what h3 writes after `Max-Age=N` in the Set-Cookie header (Path, HttpOnly, ...). */
const attributeTails = new WeakMap<object, string | null>();

/** The constant end of the session's Set-Cookie header, learnt once from h3's own serializer; null if unusual. */
function attributeTail(config: SessionState<any>['config']): string | null {
  let tail = attributeTails.get(config);
  if (tail === undefined) {
    let header = '';
    const probe = { node: { res: { getHeader: () => undefined, setHeader: (_name: string, value: string) => (header = value) } } };
    setCookie(probe as unknown as H3Event, config.name, 'v', { ...config.cookie, maxAge: 1 });
    const head = `${config.name}=v; Max-Age=1`;
    tail = header.startsWith(head) && !('encode' in config.cookie) ? header.slice(head.length) : null;
    attributeTails.set(config, tail);
  }
  return tail;
}

/**
 * Sets the signed session cookie with a Max-Age matching the record's remaining life. Synchronous once the
 * signed value is known (the usual write, on a session that came with its cookie): a promise only for an HMAC.
 */
export function writeCookie(event: H3Event, state: SessionState<any>): Promise<void> | void {
  const { id, record, config } = state;
  if (!id || !record) return;
  // Late write (after the response): the store write stands, only the cookie refresh is skipped.
  if (isResponseSent(event)) return skipLateCookie(event, config, id, state.signed?.id);
  if (state.signed?.id === id) return setSessionCookie(event, state, state.signed.value);
  return signCookie(id, config.secrets[0]).then(
    (value) => {
      state.signed = { id, value };
      setSessionCookie(event, state, value);
    },
    (error: unknown) => {
      throw cookieError(config.name, error);
    },
  );
}

function cookieError(name: string, error: unknown): SessionError {
  return new SessionError('COOKIE_ERROR', `could not set the session cookie '${name}': ${messageOf(error)}`, undefined, { cause: error });
}

function setSessionCookie(event: H3Event, state: SessionState<any>, value: string): void {
  const { record, config } = state;
  try {
    markSessionResponse(event, config);
    const maxAge = Math.max(1, Math.ceil(remainingMs(record!, Date.now()) / 1000));
    const res = event.node.res;
    const tail = attributeTail(config);
    // saves 5 µs per write over setCookie (bench/micro-write.mjs); h3 still handles a response that has cookies
    if (tail !== null && res.getHeader('set-cookie') === undefined) {
      res.setHeader('set-cookie', `${config.name}=${encodeURIComponent(value)}; Max-Age=${maxAge}${tail}`);
    } else {
      setCookie(event, config.name, value, { ...config.cookie, maxAge });
    }
  } catch (error) {
    throw cookieError(config.name, error);
  }
}

/** Expires the session cookie with the attributes it was set with, so the browser really drops it. */
export function clearCookie(event: H3Event, state: SessionState<any>): void {
  // Late destroy (after the response): the record is gone, so the stale cookie only yields a fresh session.
  if (isResponseSent(event)) return;
  try {
    deleteCookie(event, state.config.name, { ...state.config.cookie });
  } catch (error) {
    const message = `could not clear the session cookie '${state.config.name}': ${messageOf(error)}`;
    throw new SessionError('COOKIE_ERROR', message, undefined, { cause: error });
  }
}
