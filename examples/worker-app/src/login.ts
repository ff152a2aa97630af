// src/login.ts: your own credentials check (Web Crypto, no nodejs_compat needed), then a fresh session for the user
import { HTTPError, readBody, type H3Event } from 'h3';
import { regenerateSession, setSessionUser, updateSession } from '@analog-tools/session';

// YOUR app's user check (this table is a stand-in for your user database and password hashes).
const USERS = [{ id: 'u1', name: 'Ada Lovelace', username: 'ada', password: 'lovelace-example' }];

const sha256 = async (text: string) => new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));

// Compares digests of equal length in constant time, so the answer's timing says nothing about the password.
async function sameText(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([sha256(a), sha256(b)]);
  let difference = 0;
  for (let i = 0; i < x.length; i++) difference |= x[i]! ^ y[i]!;
  return difference === 0;
}

async function verifyCredentials(username: unknown, password: unknown): Promise<{ id: string; name: string } | null> {
  if (typeof username !== 'string' || typeof password !== 'string') return null;
  const user = USERS.find((candidate) => candidate.username === username);
  return user && (await sameText(user.password, password)) ? { id: user.id, name: user.name } : null;
}

export async function login(event: H3Event) {
  const body = await readBody<{ username?: unknown; password?: unknown }>(event);
  const user = await verifyCredentials(body?.username, body?.password);
  if (!user) throw new HTTPError({ status: 401, statusText: 'Invalid credentials' });
  await regenerateSession(event, { keepData: false }); // a new session ID, nothing kept from before login: no fixation
  await setSessionUser(event, user.id);
  await updateSession(event, () => ({ user }));
  return { authenticated: true };
}
