// src/worker.ts: the h3 app as a Cloudflare Worker
import { H3, HTTPError, redirect } from 'h3';
import { defineSessionLogoutHandler, defineSessionSummaryHandler, getSession, requireSession, updateSession } from '@analog-tools/session';
import { login } from './login';
import { session } from './session';

interface AppSession {
  user?: { id: string; name: string };
  visits?: number;
  note?: string;
}

const app = new H3()
  .use(session)
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
  .post('/api/conflict', async (event) => {
    await updateSession<AppSession>(event, () => ({ note: 'conflict' }));
    throw new HTTPError({ status: 409, statusText: 'Conflict' });
  })
  .get('/api/redirect', async (event) => {
    await updateSession<AppSession>(event, () => ({ note: 'redirect' }));
    return redirect('/api/session', 302);
  })
  .get('/api/me', (event) => ({ user: requireSession<AppSession>(event).user }));

export default { fetch: (request: Request) => app.fetch(request) };
