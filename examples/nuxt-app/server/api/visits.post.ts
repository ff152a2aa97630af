// server/api/visits.post.ts: a counter that survives concurrent requests
import { defineEventHandler } from 'h3';
import { getSession, updateSession } from '@analog-tools/session';

export default defineEventHandler(async (event) => {
  await updateSession<{ visits?: number }>(event, (session) => ({ visits: (session.visits ?? 0) + 1 }));
  return { visits: getSession<{ visits?: number }>(event)?.visits };
});
