// server/api/conflict.post.ts: a write, then an error; the session cookie still goes with the 409
import { createError, defineEventHandler } from 'h3';
import { updateSession } from '@analog-tools/session';

export default defineEventHandler(async (event) => {
  await updateSession(event, () => ({ note: 'conflict' }));
  throw createError({ statusCode: 409, statusMessage: 'Conflict' });
});
