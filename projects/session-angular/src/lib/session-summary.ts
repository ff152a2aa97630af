/** The user part of a session summary, as the server's summary endpoint answers it. */
export type SessionUser = { id: string; name: string } & Record<string, unknown>;

/**
 * JSON answered by the summary endpoint (`GET /api/session`): `authenticated` is always there,
 * `user` when signed in, plus whatever fields the app's selector adds.
 */
export interface SessionSummary {
  authenticated: boolean;
  user?: SessionUser;
  /**
   * When the user last signed in (ms since epoch), for `sessionGuard({ freshWithin })`: the server's selector adds
   * it with `getSessionAuthTime(event)`. Absent or null: unknown, which `freshWithin` treats as stale.
   */
  authenticatedAt?: number | null;
}

/**
 * Where the client stands: `'loading'` until the first summary arrives, then `'authenticated'` or
 * `'anonymous'`; `'error'` when the last read of the summary failed.
 */
export type SessionStatus = 'loading' | 'authenticated' | 'anonymous' | 'error';
