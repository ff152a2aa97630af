/** A cookie value whose signature was verified, with what was derived from it. */
export interface VerifiedCookie {
  id: string;
  key: string;
  /** Signed with the first (current) secret, rather than an older one kept for rotation. */
  current: boolean;
  /** The decoded cookie value (`s:` + ID + `.` + signature). */
  value: string;
}

/** Verified cookies remembered per config: a returning visitor skips the HMAC and the key hash. */
export const VERIFIED_COOKIE_CACHE_SIZE = 10_000;

/**
 * A bounded map from signed cookie values as sent (still percent-encoded, see readSessionCookies) to their
 * verified ID and store key. Only values that passed the constant-time signature check are stored, so a
 * lookup can never accept a forgery: a value is found only if it is byte-for-byte one the server verified
 * before (V8's string hashing is seeded per process, so lookup timing cannot be steered towards a valid
 * value). It says nothing about the session's record, which is still read from the store on every request,
 * so revocation and expiry are unaffected.
 */
export function createVerifiedCookieCache(max = VERIFIED_COOKIE_CACHE_SIZE) {
  const entries = new Map<string, VerifiedCookie>();
  return {
    get: (cookie: string) => entries.get(cookie),
    set(cookie: string, verified: VerifiedCookie) {
      if (entries.size >= max) entries.delete(entries.keys().next().value!);
      entries.set(cookie, verified);
    },
  };
}
