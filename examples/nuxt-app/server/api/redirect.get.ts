// server/api/redirect.get.ts: a write, then a redirect; the session cookie goes with the 302
import { defineEventHandler, sendRedirect } from 'h3';
import { updateSession } from '@analog-tools/session';

export default defineEventHandler(async (event) => {
  await updateSession(event, () => ({ note: 'redirect' }));
  return sendRedirect(event, '/api/session', 302);
});
