/** Machine-readable reasons a session operation can fail. */
export type SessionErrorCode =
  /** Failed to sign or set the session cookie. */
  | 'COOKIE_ERROR'
  /** No active session: updateSession / regenerateSession called before useSession. */
  | 'INVALID_SESSION'
  /** The crypto back end failed (no node:crypto nor WebCrypto, or signing threw). */
  | 'CRYPTO_ERROR'
  /** The session config is unusable (missing store, short secret, bad option): the message names the fix. */
  | 'CONFIG_ERROR'
  /** Failed to read, write or delete in the store, or the store did not answer in time. */
  | 'STORAGE_ERROR'
  /** The session's record no longer exists in the store (expired, destroyed or revoked elsewhere). */
  | 'EXPIRED_SESSION'
  /** A session value would not come back from the store as itself (BigInt, a cycle, a Date, a Map...). */
  | 'INVALID_DATA';

/** The HTTP status h3 answers with when a `SessionError` reaches it unhandled, per code. */
export const SESSION_ERROR_STATUS: Record<SessionErrorCode, { statusCode: number; statusMessage: string }> = {
  COOKIE_ERROR: { statusCode: 500, statusMessage: 'Session cookie error' },
  INVALID_SESSION: { statusCode: 500, statusMessage: 'Session not initialized' },
  CRYPTO_ERROR: { statusCode: 500, statusMessage: 'Session initialization failed' },
  CONFIG_ERROR: { statusCode: 500, statusMessage: 'Session misconfigured' },
  STORAGE_ERROR: { statusCode: 503, statusMessage: 'Session storage unavailable' },
  EXPIRED_SESSION: { statusCode: 401, statusMessage: 'Session expired' },
  INVALID_DATA: { statusCode: 500, statusMessage: 'Session data not serializable' },
};

/**
 * The one error class of the package: every failure it raises carries a `code` to branch on. Left
 * unhandled, h3 answers with the code's status from {@link SESSION_ERROR_STATUS} (503 for `STORAGE_ERROR`,
 * 401 for `EXPIRED_SESSION`, 500 otherwise) and a fixed status message.
 *
 * @example
 * try { await useSession(event, config) }
 * catch (e) { if (e instanceof SessionError && e.code === 'STORAGE_ERROR') throw createError({ statusCode: 503 }) }
 */
export class SessionError extends Error {
  override readonly name = 'SessionError';
  /** Read by h3's createError() when this error reaches it unhandled. */
  readonly statusCode: number;
  readonly statusMessage: string;

  constructor(
    readonly code: SessionErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(`[@analog-tools/session] ${message}`, options);
    ({ statusCode: this.statusCode, statusMessage: this.statusMessage } = SESSION_ERROR_STATUS[code]);
  }
}

/** Type guard for errors raised by this package, also across duplicated copies of it. */
export function isSessionError(error: unknown): error is SessionError {
  return error instanceof SessionError || (error instanceof Error && error.name === 'SessionError' && 'code' in error);
}

/** The message of anything thrown: an Error's message, else its string form. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
