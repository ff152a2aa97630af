// src/app.ts: the h3 app, its middleware and routes
import { H3, HTTPError, redirect } from 'h3';
import { defineSessionLogoutHandler, defineSessionSummaryHandler, getSession, requireSession, updateSession } from '@analog-tools/session';
import { login } from './login.js';
import { session } from './session.js';

interface AppSession {
  user?: { id: string; name: string };
  visits?: number;
  note?: string;
}

export const app = new H3()
  .use(session)
  // What the browser may know: { authenticated, user? }
  .get(
    '/api/session',
    defineSessionSummaryHandler<AppSession, AppSession>((data) => ({ user: data.user })),
  )
  .post('/api/visits', async (event) => {
    await updateSession<AppSession>(event, (data) => ({ visits: (data.visits ?? 0) + 1 }));
    return { visits: getSession<AppSession>(event)?.visits };
  })
  .post('/api/login', login)
  .post('/api/logout', defineSessionLogoutHandler())
  // A write, then an error: the session cookie still reaches the browser with the 409.
  .post('/api/conflict', async (event) => {
    await updateSession<AppSession>(event, () => ({ note: 'conflict' }));
    throw new HTTPError({ status: 409, statusText: 'Conflict' });
  })
  // A write, then a redirect: the cookie goes with the 302.
  .get('/api/redirect', async (event) => {
    await updateSession<AppSession>(event, () => ({ note: 'redirect' }));
    return redirect('/api/session', 302);
  })
  // Signed-in users only: 401 for anonymous requests.
  .get('/api/me', (event) => ({ user: requireSession<AppSession>(event).user }));
