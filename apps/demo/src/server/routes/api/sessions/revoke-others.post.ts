import { requireFreshSession, revokeUserSessions } from '@analog-tools/session';
import { defineEventHandler } from 'h3';
import { sessionStore, STEP_UP_MAX_AGE } from '../../../session-config';
import { requireUser } from '../../../utils/require-user';

/**
 * POST /api/sessions/revoke-others -> `{ revoked: n }`: signs out every other session of the user. 401 when anonymous;
 * 401 with `data.code: 'STALE_SESSION'` when the user signed in more than 5 minutes ago (the page then asks them to
 * sign in again, and brings them back).
 */
export default defineEventHandler(async (event) => {
  const session = requireUser(event);
  requireFreshSession(event, { maxAge: STEP_UP_MAX_AGE });
  const revoked = await revokeUserSessions(await sessionStore, session.user.id, { except: event });
  return { revoked };
});
