import { isSessionError, regenerateSession, setSessionUser, updateSession } from '@analog-tools/session';
import { createError, defineEventHandler, getRequestHeader, sendRedirect } from 'h3';
import type { DemoSession } from '../../../session-config';
import { LOGIN_LIMITS, passwordHashing, refuseLogin, takeLoginAttempt } from '../../../utils/login-limits';
import { deviceLabel } from '../../../utils/device-label';
import { readLimitedBody } from '../../../utils/read-limited-body';
import { verifyCredentials } from '../../../utils/verify-credentials';

interface LoginBody {
  username: string;
  password: string;
  /** The form's "Remember me": `false` (JSON) or `'false'` ends the session with the browser; anything else keeps it. */
  remember?: unknown;
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
 * 413 for a body over 4 KiB, 429 + `Retry-After` when the address or the username has failed too often,
 * 503 + `Retry-After` when too many logins are being checked at once (utils/login-limits.ts), 409
 * `{ data: { code: 'TOO_MANY_SESSIONS', maxSessionsPerUser } }` when SESSION_LIMIT_POLICY=deny-new and the user is at
 * SESSION_MAX_PER_USER sessions.
 * The login page's form also posts here when JavaScript is off (urlencoded): it then gets redirects instead.
 */
export default defineEventHandler(async (event) => {
  const fromHtmlForm = getRequestHeader(event, 'content-type')?.startsWith('application/x-www-form-urlencoded') ?? false;
  const body = await readLimitedBody(event, LOGIN_LIMITS.maxBodyBytes);
  if (!isLoginBody(body)) {
    if (fromHtmlForm) return sendRedirect(event, '/login?error=1', 303);
    throw createError({ statusCode: 400, statusMessage: 'Expected a JSON body with username and password' });
  }

  const attempt = takeLoginAttempt(event, body.username);
  if (attempt.retryAfter) {
    if (fromHtmlForm) return sendRedirect(event, '/login?error=limited', 303);
    refuseLogin(event, 429, attempt.retryAfter);
  }
  const check = passwordHashing.tryRun(() => verifyCredentials(body.username, body.password));
  if (!check) {
    attempt.cancel();
    if (fromHtmlForm) return sendRedirect(event, '/login?error=limited', 303);
    refuseLogin(event, 503, 1);
  }
  const user = await check;
  if (!user) {
    if (fromHtmlForm) return sendRedirect(event, '/login?error=1', 303);
    throw createError({ statusCode: 401, statusMessage: 'Invalid username or password' });
  }
  attempt.succeeded();

  // A new ID at every privilege change defeats session fixation; nothing planted in the anonymous session
  // before login (e.g. by a sibling subdomain's tossed cookie) survives it.
  await regenerateSession(event, { keepData: false });
  // The label names this device in "Your sessions": a fixed browser and OS name, never the header itself.
  try {
    await setSessionUser(event, user.id, {
      label: deviceLabel(getRequestHeader(event, 'user-agent')),
      persistent: body.remember !== false && body.remember !== 'false',
    });
  } catch (error) {
    // SESSION_LIMIT_POLICY=deny-new and the user already has SESSION_MAX_PER_USER sessions: nothing was bound.
    if (!isSessionError(error) || error.code !== 'TOO_MANY_SESSIONS') throw error;
    if (fromHtmlForm) return sendRedirect(event, '/login?error=sessions', 303);
    throw createError({
      statusCode: 409,
      statusMessage: 'Too many sessions',
      data: { code: 'TOO_MANY_SESSIONS', maxSessionsPerUser: error.details?.['maxSessionsPerUser'] },
    });
  }
  await updateSession<DemoSession>(event, () => ({
    user: { id: user.id, name: user.name },
    loginAt: Date.now(),
    visits: 0,
  }));
  if (fromHtmlForm) return sendRedirect(event, '/account', 303);
  return { authenticated: true };
});
