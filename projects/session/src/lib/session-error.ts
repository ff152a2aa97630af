/** Machine-readable reasons a session operation can fail. */
export type SessionErrorCode =
  /** Failed to sign or set the session cookie. */
  | 'COOKIE_ERROR'
  /** No active session: updateSession / regenerateSession called before useSession. */
  | 'INVALID_SESSION'
  /** Unexpected error during session initialization, including an unusable secret. */
  | 'CRYPTO_ERROR'
  /** Failed to read, write or delete in the store, or the store did not answer in time. */
  | 'STORAGE_ERROR'
  /** The session's record no longer exists in the store (expired, destroyed or revoked elsewhere). */
  | 'EXPIRED_SESSION';

/**
 * The one error class of the package: every failure it raises carries a `code` to branch on.
 *
 * @example
 * try { await useSession(event, config) }
 * catch (e) { if (e instanceof SessionError && e.code === 'STORAGE_ERROR') throw createError({ statusCode: 503 }) }
 */
export class SessionError extends Error {
  override readonly name = 'SessionError';

  constructor(
    readonly code: SessionErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(`[@analog-tools/session] ${message}`, options);
  }
}

/** Type guard for errors raised by this package, also across duplicated copies of it. */
export function isSessionError(error: unknown): error is SessionError {
  return error instanceof SessionError || (error instanceof Error && error.name === 'SessionError' && 'code' in error);
}
