import { getSession, updateSession } from '@analog-tools/session';
import { defineEventHandler } from 'h3';
import type { DemoSession } from '../../session-config';
import { requireUser } from '../../utils/require-user';

/**
 * POST /api/visits -> `{ visits }`: counts one more visit in the session. 401 when anonymous. The count is computed
 * in the updater, from the freshest stored session, so parallel visits are all counted.
 */
export default defineEventHandler(async (event) => {
  requireUser(event);
  await updateSession<DemoSession>(event, (current) => ({ visits: (current.visits ?? 0) + 1 }));
  return { visits: getSession<DemoSession>(event)!.visits };
});
