import { defineSessionEventsHandler } from '@analog-tools/session';
import { sessionConfig } from '../../../session-config';

/**
 * GET /api/auth/session-events -> a server-sent-events stream for a signed-in tab: `event: ready` once listening,
 * then `event: session` / `data: {"type":"ended","reason":"..."}` when this session is signed out elsewhere,
 * revoked, evicted or expired. Anonymous: 401.
 */
export default defineSessionEventsHandler({ config: sessionConfig });
