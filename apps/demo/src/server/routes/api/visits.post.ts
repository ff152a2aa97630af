import { updateSession } from '@analog-tools/session';
import { defineEventHandler } from 'h3';
import type { DemoSession } from '../../session-config';
import { requireUser } from '../../utils/require-user';

/** POST /api/visits -> `{ visits }`: counts one more visit in the session. 401 when anonymous. */
export default defineEventHandler(async (event) => {
  const session = requireUser(event);
  const visits = (session.visits ?? 0) + 1;
  await updateSession<DemoSession>(event, () => ({ visits }));
  return { visits };
});
