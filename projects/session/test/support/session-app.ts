// The app every integration test drives: a handful of routes over the public API, on the h3 flavor of the run
// (h3-app.ts).
import type { Storage } from 'unstorage';
import {
  defineSessionEventsHandler,
  defineSessionLogoutHandler,
  defineSessionMiddleware,
  defineSessionSummaryHandler,
  destroySession,
  getSession,
  getSessionUser,
  listUserSessions,
  regenerateSession,
  requireSession,
  revokeUserSession,
  revokeUserSessions,
  setSessionUser,
  updateSession,
  type SessionConfig,
  type SessionEventsOptions,
} from '../../src/index';
import { getSessionBackend } from '../../src/stores/get-backend';
import { createTestApp, header, queryParam, readJson, type H3Flavor, type TestApp } from './h3-app';

export const SECRET = 'test-secret-0123456789-abcdefghijklmnop';
export const COOKIE = 'connect.sid';

/** Runs in /login between the password check and the binding, when a test sets it (a login in flight). */
export const loginGate: { afterPasswordCheck?: () => Promise<void>; beforeSessionWrites?: () => Promise<void> } = {};

/** Runs in /inc after the session was read and before the write, when a test sets it (a write in flight). */
export const writeGate: { beforeWrite?: () => Promise<void> } = {};

export function createSessionApp(
  store: Storage<any>,
  overrides: Partial<SessionConfig> = {},
  flavor?: H3Flavor,
  events: SessionEventsOptions = {},
): { app: TestApp; config: SessionConfig } {
  const config: SessionConfig = { store, secret: SECRET, ...overrides };
  const app = createTestApp(flavor);
  const summary = defineSessionSummaryHandler((session) => ({ user: session['user'] as { id: string; name: string } }));
  app
    .use(defineSessionMiddleware(config))
    .get('/session', (event) => ({ data: getSession(event), user: getSessionUser(event) }))
    .post('/set', async (event) => {
      const changes = await readJson<Record<string, unknown>>(event);
      const deleteFirst = header(event, 'x-delete-before-write');
      if (deleteFirst) await getSessionBackend(store, 'sess:').remove(deleteFirst);
      await updateSession(event, () => changes);
      return getSession(event);
    })
    .post('/unset', async (event) => {
      const key = String(queryParam(event, 'key'));
      await updateSession(event, () => ({ [key]: undefined }));
      return getSession(event);
    })
    .post('/inc', async (event) => {
      await writeGate.beforeWrite?.();
      const key = String(queryParam(event, 'key') ?? 'n');
      await updateSession(event, (s) => ({ [key]: ((s[key] as number) ?? 0) + 1 }));
      return getSession(event);
    })
    .post('/login', async (event) => {
      const { user, label, persistent } = await readJson<{ user: string; label?: string; persistent?: boolean }>(event);
      await loginGate.beforeSessionWrites?.();
      await regenerateSession(event);
      await loginGate.afterPasswordCheck?.();
      await setSessionUser(event, user, { ...(label === undefined ? {} : { label }), ...(persistent === undefined ? {} : { persistent }) });
      await updateSession(event, () => ({ user: { id: user, name: user.toUpperCase() } }));
      return { authenticated: true };
    })
    .post('/regenerate', async (event) => {
      await regenerateSession(event);
      return getSession(event);
    })
    .post('/destroy', async (event) => {
      await destroySession(event);
      return { destroyed: true };
    })
    .post('/logout', defineSessionLogoutHandler())
    .post('/revoke', async (event) => {
      const { user, keepMine } = await readJson<{ user: string; keepMine?: boolean }>(event);
      return { revoked: await revokeUserSessions(store, user, keepMine ? { except: event } : {}) };
    })
    .get('/sessions', (event) => listUserSessions(event))
    .get('/sessions-of', (event) => listUserSessions(store, String(queryParam(event, 'user'))))
    .post('/sessions/revoke', async (event) => {
      const { handle } = await readJson<{ handle: string }>(event);
      return { revoked: await revokeUserSession(event, handle) };
    })
    .post('/revoke-others', async (event) => {
      const { reason } = await readJson<{ reason?: string }>(event);
      return { revoked: await revokeUserSessions(event, reason === undefined ? {} : { reason }) };
    })
    .post('/unbind', async (event) => {
      await setSessionUser(event, null);
      return { user: getSessionUser(event) };
    })
    .get('/events', defineSessionEventsHandler(events))
    .get('/private', (event) => requireSession(event))
    .get('/summary', summary)
    .post('/summary', summary);
  return { app, config };
}
