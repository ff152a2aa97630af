// server/api/logout.post.ts: ends the session, answers { authenticated: false }
import { defineSessionLogoutHandler } from '@analog-tools/session';

export default defineSessionLogoutHandler();
