// server/routes/api/conflict.post.ts: a write, then an error; the session cookie still goes with the 409
import { defineHandler, HTTPError } from 'h3';
import { updateSession } from '@analog-tools/session';

export default defineHandler(async (event) => {
  await updateSession(event, () => ({ note: 'conflict' }));
  throw new HTTPError({ status: 409, statusText: 'Conflict' });
});
