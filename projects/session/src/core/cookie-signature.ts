import { getCryptoBackend, SESSION_ID_BYTES, type CryptoBackend } from './crypto';
import { SessionError } from './errors';

const PREFIX = 's:';

/**
 * What the HMAC covers ahead of the value: domain separation from the cookies of the published 0.0.x releases,
 * `s:<ID>.<HMAC of the bare ID>`. Without it, `signCookie(uuid, secret)` (an invite link) passed for a 0.0.x
 * session cookie whenever its signature held no `-` or `_` (about 1 time in 4), and `legacySessions` adopted
 * whatever the store held under that UUID. Its `@` `/` `:` occur in no ID those releases signed.
 */
const SIGNED_CONTEXT = '@analog-tools/session:';

const base64Url = (bytes: number) => `[A-Za-z0-9_-]{${Math.ceil((bytes * 4) / 3)}}`;
/** Bytes of an HMAC-SHA256. */
const SIGNATURE_BYTES = 32;

/** The only session cookie values worth an HMAC: `s:` + a session ID + `.` + a signature, both base64url. */
export const SIGNED_COOKIE_SHAPE = new RegExp(`^s:${base64Url(SESSION_ID_BYTES)}\\.${base64Url(SIGNATURE_BYTES)}$`);

/** Characters of every value {@link SIGNED_COOKIE_SHAPE} accepts: a longer one is oversized. */
export const SIGNED_COOKIE_LENGTH = PREFIX.length + Math.ceil((SESSION_ID_BYTES * 4) / 3) + 1 + Math.ceil((SIGNATURE_BYTES * 4) / 3);

/**
 * Signs a value with HMAC-SHA256: `s:<value>.<base64url signature>`, the signature covering a fixed context
 * ahead of `value`, so that no output passes for a cookie of the 0.0.x releases (see "Upgrading" in the README).
 * Uses node:crypto where available, WebCrypto elsewhere; both give the same output.
 *
 * @example
 * const signed = await signCookie('session-id-123', 'secret'); // 's:session-id-123.kQ9…'
 */
export async function signCookie(value: string, secret: string, backend: CryptoBackend = getCryptoBackend()): Promise<string> {
  if (typeof value !== 'string') throw new SessionError('COOKIE_ERROR', 'signCookie(): the value must be a string.');
  if (typeof secret !== 'string' || secret.length === 0) {
    throw new SessionError('CRYPTO_ERROR', 'signCookie(): the secret must be a non-empty string.');
  }
  return `${PREFIX}${value}.${await backend.hmac(secret, SIGNED_CONTEXT + value)}`;
}

/**
 * Verifies a value made by {@link signCookie} and returns the original value, or `null` when it is not
 * signed by any of `secrets`. Every secret is tried in order (key rotation); signatures are compared in
 * constant time.
 *
 * @example
 * const id = await unsignCookie(signed, ['current-secret', 'old-secret']); // 'session-id-123' or null
 */
export async function unsignCookie(
  signed: string,
  secrets: string | readonly string[],
  backend: CryptoBackend = getCryptoBackend(),
): Promise<string | null> {
  if (typeof signed !== 'string' || !signed.startsWith(PREFIX)) return null;
  const dot = signed.lastIndexOf('.');
  if (dot < PREFIX.length) return null;
  const value = signed.slice(PREFIX.length, dot);
  const signature = signed.slice(dot + 1);
  for (const secret of typeof secrets === 'string' ? [secrets] : secrets) {
    if (typeof secret !== 'string' || secret.length === 0) continue;
    if (backend.equal(await backend.hmac(secret, SIGNED_CONTEXT + value), signature)) return value;
  }
  return null;
}
