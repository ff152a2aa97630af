// server/routes/api/redirect.get.ts: a write, then a redirect; the session cookie goes with the 302
import { defineHandler, redirect } from 'h3';
import { updateSession } from '@analog-tools/session';

export default defineHandler(async (event) => {
  await updateSession(event, () => ({ note: 'redirect' }));
  return redirect('/api/session', 302);
});
