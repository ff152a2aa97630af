import { defineSessionSummaryHandler, getSessionAuthTime } from '@analog-tools/session';
import { sessionConfig, type DemoSession } from '../../session-config';

/**
 * GET /api/session -> `{ authenticated, user?: { id, name }, authenticatedAt? }`. This is all the browser learns
 * about the session: the selector copies the two public fields, and when the user signed in (ms since epoch, for
 * `sessionGuard({ freshWithin })` and the "sign in again" prompt), nothing else.
 */
export default defineSessionSummaryHandler<DemoSession, { user?: { id: string; name: string }; authenticatedAt?: number | null }>(
  (session, event) =>
    session.user ? { user: { id: session.user.id, name: session.user.name }, authenticatedAt: getSessionAuthTime(event) } : {},
  { config: sessionConfig },
);
