import { listUserSessions } from '@analog-tools/session';
import { defineEventHandler } from 'h3';
import { requireUser } from '../../utils/require-user';

/** One row of the account page's "Your sessions". The handle names a session for revoking; it is not its ID. */
export interface SessionListItem {
  handle: string;
  label: string | null;
  createdAt: number;
  lastSeenAt: number;
  current: boolean;
}

/**
 * GET /api/sessions -> the signed-in user's sessions, this one first, then the most recently seen:
 * `[{ handle, label, createdAt, lastSeenAt, current }]`. 401 when anonymous.
 */
export default defineEventHandler(async (event): Promise<SessionListItem[]> => {
  requireUser(event);
  const sessions = await listUserSessions(event);
  return sessions.map(({ handle, label, createdAt, lastSeenAt, current }) => ({ handle, label, createdAt, lastSeenAt, current }));
});
