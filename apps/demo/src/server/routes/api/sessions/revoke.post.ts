import { revokeUserSession } from '@analog-tools/session';
import { createError, defineEventHandler } from 'h3';
import { readLimitedBody } from '../../../utils/read-limited-body';
import { requireUser } from '../../../utils/require-user';

/** Handles are 32 hex characters today; the bound only keeps junk out, the library decides what matches. */
const MAX_HANDLE_LENGTH = 128;

function handleOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { handle } = body as Record<string, unknown>;
  return typeof handle === 'string' && handle.length > 0 && handle.length <= MAX_HANDLE_LENGTH ? handle : undefined;
}

/**
 * POST /api/sessions/revoke `{ handle }` -> `{ revoked: true }`: signs out one of the user's sessions (another
 * device). 404 when the user has no session with that handle: a handle of another user's session is never
 * found. 400 on a malformed body, 413 over 1 KiB, 401 when anonymous.
 */
export default defineEventHandler(async (event) => {
  requireUser(event);
  const handle = handleOf(await readLimitedBody(event, 1024));
  if (handle === undefined) throw createError({ statusCode: 400, statusMessage: 'Expected a JSON body with a session handle' });
  if (!(await revokeUserSession(event, handle))) throw createError({ statusCode: 404, statusMessage: 'No such session' });
  return { revoked: true };
});
