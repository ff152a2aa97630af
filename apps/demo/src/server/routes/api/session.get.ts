import { defineSessionSummaryHandler } from '@analog-tools/session';
import { sessionConfig, type DemoSession } from '../../session-config';

/**
 * GET /api/session -> `{ authenticated, user?: { id, name } }`. This is all the browser learns about the
 * session: the selector copies the two public fields and nothing else.
 */
export default defineSessionSummaryHandler<DemoSession, { user?: { id: string; name: string } }>(
  (session) => (session.user ? { user: { id: session.user.id, name: session.user.name } } : {}),
  { config: sessionConfig },
);
