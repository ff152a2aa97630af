// server/api/login.post.ts: your own credentials check, then a fresh session for the user
import { createHash, timingSafeEqual } from 'node:crypto';
import { createError, defineEventHandler, readBody } from 'h3';
import { regenerateSession, setSessionUser, updateSession } from '@analog-tools/session';

// YOUR app's user check (this table is a stand-in for your user database and password hashes).
const USERS = [{ id: 'u1', name: 'Ada Lovelace', username: 'ada', password: 'lovelace-example' }];

// Compares digests of equal length in constant time, so the answer's timing says nothing about the password.
function sameText(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

function verifyCredentials(username: unknown, password: unknown): { id: string; name: string } | null {
  if (typeof username !== 'string' || typeof password !== 'string') return null;
  const user = USERS.find((candidate) => candidate.username === username);
  return user && sameText(user.password, password) ? { id: user.id, name: user.name } : null;
}

export default defineEventHandler(async (event) => {
  const body = await readBody<{ username?: unknown; password?: unknown } | null>(event);
  const user = verifyCredentials(body?.username, body?.password);
  if (!user) throw createError({ statusCode: 401, statusMessage: 'Invalid credentials' });
  await regenerateSession(event, { keepData: false }); // a new session ID, nothing kept from before login: no fixation
  await setSessionUser(event, user.id); // lets revokeUserSessions(store, user.id) end all of this user's sessions
  await updateSession(event, () => ({ user }));
  return { authenticated: true };
});
