import { regenerateSession, setSessionUser, updateSession } from '@analog-tools/session';
import { createError, defineEventHandler, getRequestHeader, readBody, sendRedirect } from 'h3';
import type { DemoSession } from '../../../session-config';
import { verifyCredentials } from '../../../utils/verify-credentials';

interface LoginBody {
  username: string;
  password: string;
}

function isLoginBody(body: unknown): body is LoginBody {
  if (typeof body !== 'object' || body === null) return false;
  const { username, password } = body as Record<string, unknown>;
  return (
    typeof username === 'string' &&
    typeof password === 'string' &&
    username.length > 0 &&
    username.length <= 64 &&
    password.length > 0 &&
    password.length <= 256
  );
}

/**
 * POST /api/auth/login `{ username, password }` -> `{ authenticated: true }`, 401 on bad credentials.
 * The login page's form also posts here when JavaScript is off (urlencoded): it then gets redirects instead.
 */
export default defineEventHandler(async (event) => {
  const fromHtmlForm = getRequestHeader(event, 'content-type')?.startsWith('application/x-www-form-urlencoded') ?? false;
  const body = await readBody<unknown>(event).catch(() => undefined);
  if (!isLoginBody(body)) {
    if (fromHtmlForm) return sendRedirect(event, '/login?error=1', 303);
    throw createError({ statusCode: 400, statusMessage: 'Expected a JSON body with username and password' });
  }

  const user = await verifyCredentials(body.username, body.password);
  if (!user) {
    if (fromHtmlForm) return sendRedirect(event, '/login?error=1', 303);
    throw createError({ statusCode: 401, statusMessage: 'Invalid username or password' });
  }

  // A new ID at every privilege change defeats session fixation.
  await regenerateSession(event);
  await setSessionUser(event, user.id);
  await updateSession<DemoSession>(event, () => ({
    user: { id: user.id, name: user.name },
    loginAt: Date.now(),
    visits: 0,
  }));
  if (fromHtmlForm) return sendRedirect(event, '/account', 303);
  return { authenticated: true };
});
