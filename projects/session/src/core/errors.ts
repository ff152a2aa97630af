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
  | 'INVALID_DATA'
  /** `requireSession()`: the request is not signed in. */
  | 'UNAUTHORIZED'
  /** A write during a Nitro prerender (or on a request that claims to be one, `x-nitro-prerender`). */
  | 'PRERENDER_WRITE'
  /** A login would exceed `config.maxSessionsPerUser` under the policy 'deny-new': the app can ask to sign out elsewhere. */
  | 'TOO_MANY_SESSIONS'
  /** `defineSessionEventsHandler()`: this instance, or this user on it, has as many open event streams as allowed. */
  | 'TOO_MANY_STREAMS'
  /** `config.csrf`: an unsafe request from another origin, or without the session's `X-XSRF-TOKEN`. Nothing was read or written. */
  | 'CSRF_REFUSED'
  /** `requireFreshSession()`: the user signed in longer ago than the action allows; sign in again. */
  | 'STALE_SESSION';

/** The HTTP status h3 answers with when a `SessionError` reaches it unhandled, per code. */
export const SESSION_ERROR_STATUS: Record<SessionErrorCode, { statusCode: number; statusMessage: string }> = {
  COOKIE_ERROR: { statusCode: 500, statusMessage: 'Session cookie error' },
  INVALID_SESSION: { statusCode: 500, statusMessage: 'Session not initialized' },
  CRYPTO_ERROR: { statusCode: 500, statusMessage: 'Session initialization failed' },
  CONFIG_ERROR: { statusCode: 500, statusMessage: 'Session misconfigured' },
  STORAGE_ERROR: { statusCode: 503, statusMessage: 'Session storage unavailable' },
  EXPIRED_SESSION: { statusCode: 401, statusMessage: 'Session expired' },
  INVALID_DATA: { statusCode: 500, statusMessage: 'Session data not serializable' },
  UNAUTHORIZED: { statusCode: 401, statusMessage: 'Unauthorized' },
  PRERENDER_WRITE: { statusCode: 400, statusMessage: 'Session not writable while prerendering' },
  TOO_MANY_SESSIONS: { statusCode: 409, statusMessage: 'Too many sessions' },
  TOO_MANY_STREAMS: { statusCode: 429, statusMessage: 'Too many session streams' },
  CSRF_REFUSED: { statusCode: 403, statusMessage: 'Cross-site request refused' },
  STALE_SESSION: { statusCode: 401, statusMessage: 'Re-authentication required' },
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
  /** Read by h3 v1's createError() when this error reaches it unhandled. */
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

  /** `statusCode` under the name h3 v2 and Nitro 3 read. */
  get status(): number {
    return this.statusCode;
  }

  /** `statusMessage` under the name h3 v2 and Nitro 3 read. */
  get statusText(): string {
    return this.statusMessage;
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

/** What to do when a call needs the session of a request that has none. */
export const NO_SESSION_FIX = 'Call useSession(event, config) first, or install defineSessionMiddleware(config).';

/** The `INVALID_SESSION` error of a call that needs a session on a request without one. */
export function noSessionError(caller: string): SessionError {
  return new SessionError('INVALID_SESSION', withUpstreamPhrase(caller, `${caller}: no active session on this request. ${NO_SESSION_FIX}`));
}

/** Longest route quoted in a message: the prerender header is also what any client may send. */
const MAX_QUOTED_ROUTE = 200;

/** A prerendered route, quoted for a message (cut, as any client may send the header). */
export function quoteRoute(route: string): string {
  return JSON.stringify(route.length > MAX_QUOTED_ROUTE ? `${route.slice(0, MAX_QUOTED_ROUTE)}...` : route);
}

/** What a write during a prerender throws: the page would bake one visitor's session into a shared file. */
export function prerenderWriteError(caller: string, route: string): SessionError {
  return new SessionError(
    'PRERENDER_WRITE',
    `${caller}: cannot write a session while Nitro prerenders ${quoteRoute(route)} at build time: that page is one static ` +
      'file served to every visitor. Exclude it from prerendering with analog({ prerender: { routes: [] } }) ' +
      '(or list only pages that never write).',
  );
}

// The published 0.0.x releases threw plain Errors whose messages callers match on (`toThrow(...)` checks, log
// filters). Ours keep their own codes and wording and carry the old phrase as well.
const UPSTREAM_PHRASES: Record<string, string> = {
  'updateSession()': 'No active session found',
  'regenerateSession()': 'No active session to regenerate',
};

/** `message`, followed by the phrase the published release threw for `caller` in the same situation, if any. */
export function withUpstreamPhrase(caller: string, message: string): string {
  const phrase = UPSTREAM_PHRASES[caller];
  return phrase ? `${message} (${phrase}.)` : message;
}
