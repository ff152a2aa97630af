/** A cookie value whose signature was verified, with what was derived from it. */
export interface VerifiedCookie {
  /** The value as sent (still percent-encoded): what the cache is looked up with. */
  sent: string;
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
 * verified ID and store key. Only values that passed the constant-time signature check are stored, and a value is
 * found only if it is byte-for-byte one the server verified before, so a lookup can never accept a forgery (the Map
 * hashes the value sent and compares it only with a stored value of the same hash). It says nothing about the
 * session's record, which is still read from the store on every request, so revocation and expiry are unaffected.
 */
export function createVerifiedCookieCache(max = VERIFIED_COOKIE_CACHE_SIZE) {
  const entries = new Map<string, VerifiedCookie>();
  return {
    get(cookie: string): VerifiedCookie | undefined {
      return entries.get(cookie);
    },
    /** Remembers `verified` under `verified.sent`. */
    set(verified: VerifiedCookie) {
      if (!entries.has(verified.sent) && entries.size >= max) entries.delete(entries.keys().next().value!);
      entries.set(verified.sent, verified);
    },
    /** Forgets the cookie sent as `sent` (its session ended). */
    delete(sent: string) {
      entries.delete(sent);
    },
    /** How many cookies are remembered (for tests and diagnostics). */
    get size() {
      return entries.size;
    },
  };
}

/** A cache made by {@link createVerifiedCookieCache}. */
export type VerifiedCookieCache = ReturnType<typeof createVerifiedCookieCache>;
