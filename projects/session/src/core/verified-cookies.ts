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
 * Characters at the end of a cookie (of its signature) that index the cache: 72 bits of an HMAC. A short index
 * hashes quicker than the whole cookie (figure in bench/README.md).
 */
const INDEX_CHARS = 12;

/**
 * A bounded map from signed cookie values as sent (still percent-encoded, see readSessionCookies) to their
 * verified ID and store key. Only values that passed the constant-time signature check are stored, and a
 * lookup compares the whole value, so it can never accept a forgery: a value is found only if it is
 * byte-for-byte one the server verified before. The index is the end of the signature, so that comparison
 * (which stops at the first difference) only ever runs against a value whose last 72 signature bits were
 * already guessed. It says nothing about the session's record, which is still read from the store on every
 * request, so revocation and expiry are unaffected.
 */
export function createVerifiedCookieCache(max = VERIFIED_COOKIE_CACHE_SIZE) {
  const entries = new Map<string, VerifiedCookie>();
  return {
    get(cookie: string): VerifiedCookie | undefined {
      const verified = entries.get(cookie.slice(-INDEX_CHARS));
      return verified !== undefined && verified.sent === cookie ? verified : undefined;
    },
    /** Remembers `verified` under `verified.sent`. */
    set(verified: VerifiedCookie) {
      const index = verified.sent.slice(-INDEX_CHARS);
      if (!entries.has(index) && entries.size >= max) entries.delete(entries.keys().next().value!);
      entries.set(index, verified);
    },
    /** Forgets the cookie sent as `sent` (its session ended). */
    delete(sent: string) {
      const index = sent.slice(-INDEX_CHARS);
      if (entries.get(index)?.sent === sent) entries.delete(index);
    },
    /** How many cookies are remembered (for tests and diagnostics). */
    get size() {
      return entries.size;
    },
  };
}

/** A cache made by {@link createVerifiedCookieCache}. */
export type VerifiedCookieCache = ReturnType<typeof createVerifiedCookieCache>;
