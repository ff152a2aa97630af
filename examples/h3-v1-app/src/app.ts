// src/app.ts: the same app on h3 v1 (Nitro 2, Nuxt 4, Analog 2), which the package keeps serving
import { createApp, createError, createRouter, defineEventHandler, sendRedirect } from 'h3';
import { defineSessionLogoutHandler, defineSessionSummaryHandler, getSession, requireSession, updateSession } from '@analog-tools/session';
import { login } from './login.js';
import { session } from './session.js';

interface AppSession {
  user?: { id: string; name: string };
  visits?: number;
  note?: string;
}

const router = createRouter()
  .get(
    '/api/session',
    defineSessionSummaryHandler<AppSession, AppSession>((data) => ({ user: data.user })),
  )
  .post(
    '/api/visits',
    defineEventHandler(async (event) => {
      await updateSession<AppSession>(event, (data) => ({ visits: (data.visits ?? 0) + 1 }));
      return { visits: getSession<AppSession>(event)?.visits };
    }),
  )
  .post('/api/login', defineEventHandler(login))
  .post('/api/logout', defineSessionLogoutHandler())
  .post(
    '/api/conflict',
    defineEventHandler(async (event) => {
      await updateSession<AppSession>(event, () => ({ note: 'conflict' }));
      throw createError({ statusCode: 409, statusMessage: 'Conflict' });
    }),
  )
  .get(
    '/api/redirect',
    defineEventHandler(async (event) => {
      await updateSession<AppSession>(event, () => ({ note: 'redirect' }));
      return sendRedirect(event, '/api/session', 302);
    }),
  )
  .get(
    '/api/me',
    defineEventHandler((event) => ({ user: requireSession<AppSession>(event).user })),
  );

export const app = createApp().use(session).use(router);
