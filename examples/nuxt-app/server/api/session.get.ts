// server/api/session.get.ts: what the browser may know, { authenticated, user? }
import { defineSessionSummaryHandler } from '@analog-tools/session';

interface AppSession {
  user?: { id: string; name: string };
}

export default defineSessionSummaryHandler<AppSession, AppSession>((session) => ({ user: session.user }));
