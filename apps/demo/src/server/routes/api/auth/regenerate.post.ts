import { regenerateSession } from '@analog-tools/session';
import { defineEventHandler } from 'h3';
import { requireUser } from '../../../utils/require-user';

/** POST /api/auth/regenerate: same data, new session ID (and cookie). 401 when anonymous. */
export default defineEventHandler(async (event) => {
  requireUser(event);
  await regenerateSession(event);
  return { regenerated: true };
});
