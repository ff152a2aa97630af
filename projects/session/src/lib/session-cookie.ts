// The session cookie: `s:` + ID + `.` + HMAC, set with a Max-Age that follows the record's expiry.
import type { H3Event } from 'h3';
import { deleteCookie, setCookie } from 'h3';
import { signCookie } from './cookie-signature';
import { SESSION_ID_BYTES } from './session-crypto';
import { messageOf, SessionError } from './session-error';
import { remainingMs } from './session-record';
import type { SessionState } from './session-state';

const base64UrlLength = (bytes: number) => Math.ceil((bytes * 4) / 3);
/** Bytes of an HMAC-SHA256. */
const SIGNATURE_BYTES = 32;

/** The only cookie values worth an HMAC: `s:` + a session ID + `.` + a signature, both base64url. */
export const SIGNED_COOKIE_SHAPE = new RegExp(`^s:[A-Za-z0-9_-]{${base64UrlLength(SESSION_ID_BYTES)}}\\.[A-Za-z0-9_-]{${base64UrlLength(SIGNATURE_BYTES)}}$`);

/** Sets the signed session cookie with a Max-Age matching the record's remaining life. */
export async function writeCookie(event: H3Event, state: SessionState<any>): Promise<void> {
  const { id, record, config } = state;
  if (!id || !record) return;
  try {
    if (state.signed?.id !== id) state.signed = { id, value: await signCookie(id, config.secrets[0]) };
    const { value } = state.signed;
    setCookie(event, config.name, value, { ...config.cookie, maxAge: Math.max(1, Math.ceil(remainingMs(record, Date.now()) / 1000)) });
  } catch (error) {
    throw new SessionError('COOKIE_ERROR', `could not set the session cookie '${config.name}': ${messageOf(error)}`, undefined, { cause: error });
  }
}

/** Expires the session cookie with the attributes it was set with, so the browser really drops it. */
export function clearCookie(event: H3Event, state: SessionState<any>): void {
  try {
    deleteCookie(event, state.config.name, { ...state.config.cookie });
  } catch (error) {
    throw new SessionError('COOKIE_ERROR', `could not clear the session cookie '${state.config.name}': ${messageOf(error)}`, undefined, { cause: error });
  }
}
