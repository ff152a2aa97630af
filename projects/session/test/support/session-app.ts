// The h3 app every integration test drives: a handful of routes over the public API.
import { createApp, createRouter, defineEventHandler, getQuery, readBody, type App } from 'h3';
import type { Storage } from 'unstorage';
import {
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
} from '../../src/index';

export const SECRET = 'test-secret-0123456789-abcdefghijklmnop';
export const COOKIE = 'connect.sid';

/** Runs in /login between the password check and the binding, when a test sets it (a login in flight). */
export const loginGate: { afterPasswordCheck?: () => Promise<void> } = {};

export function createSessionApp(store: Storage<any>, overrides: Partial<SessionConfig> = {}): { app: App; config: SessionConfig } {
  const config: SessionConfig = { store, secret: SECRET, ...overrides };
  const app = createApp();
  app.use(defineSessionMiddleware(config));
  const router = createRouter()
    .get(
      '/session',
      defineEventHandler((event) => ({ data: getSession(event), user: getSessionUser(event) })),
    )
    .post(
      '/set',
      defineEventHandler(async (event) => {
        const changes = await readBody<Record<string, unknown>>(event);
        const deleteFirst = event.headers.get('x-delete-before-write');
        if (deleteFirst) await store.removeItem(deleteFirst);
        await updateSession(event, () => changes);
        return getSession(event);
      }),
    )
    .post(
      '/unset',
      defineEventHandler(async (event) => {
        const key = String(getQuery(event)['key']);
        await updateSession(event, () => ({ [key]: undefined }));
        return getSession(event);
      }),
    )
    .post(
      '/inc',
      defineEventHandler(async (event) => {
        const key = String(getQuery(event)['key'] ?? 'n');
        await updateSession(event, (s) => ({ [key]: ((s[key] as number) ?? 0) + 1 }));
        return getSession(event);
      }),
    )
    .post(
      '/login',
      defineEventHandler(async (event) => {
        const { user, label } = await readBody<{ user: string; label?: string }>(event);
        await regenerateSession(event);
        await loginGate.afterPasswordCheck?.();
        await setSessionUser(event, user, label === undefined ? {} : { label });
        await updateSession(event, () => ({ user: { id: user, name: user.toUpperCase() } }));
        return { authenticated: true };
      }),
    )
    .post(
      '/regenerate',
      defineEventHandler(async (event) => {
        await regenerateSession(event);
        return getSession(event);
      }),
    )
    .post(
      '/destroy',
      defineEventHandler(async (event) => {
        await destroySession(event);
        return { destroyed: true };
      }),
    )
    .post('/logout', defineSessionLogoutHandler())
    .post(
      '/revoke',
      defineEventHandler(async (event) => {
        const { user, keepMine } = await readBody<{ user: string; keepMine?: boolean }>(event);
        return { revoked: await revokeUserSessions(store, user, keepMine ? { except: event } : {}) };
      }),
    )
    .get(
      '/sessions',
      defineEventHandler((event) => listUserSessions(event)),
    )
    .get(
      '/sessions-of',
      defineEventHandler((event) => listUserSessions(store, String(getQuery(event)['user']))),
    )
    .post(
      '/sessions/revoke',
      defineEventHandler(async (event) => {
        const { handle } = await readBody<{ handle: string }>(event);
        return { revoked: await revokeUserSession(event, handle) };
      }),
    )
    .get(
      '/private',
      defineEventHandler((event) => requireSession(event)),
    )
    .get(
      '/summary',
      defineSessionSummaryHandler((session) => ({ user: session['user'] as { id: string; name: string } })),
    );
  app.use(router);
  return { app, config };
}
