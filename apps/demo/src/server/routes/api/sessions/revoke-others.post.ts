import { revokeUserSessions } from '@analog-tools/session';
import { defineEventHandler } from 'h3';
import { sessionStore } from '../../../session-config';
import { requireUser } from '../../../utils/require-user';

/** POST /api/sessions/revoke-others -> `{ revoked: n }`: signs out every other session of the user. 401 when anonymous. */
export default defineEventHandler(async (event) => {
  const session = requireUser(event);
  const revoked = await revokeUserSessions(await sessionStore, session.user.id, { except: event });
  return { revoked };
});
