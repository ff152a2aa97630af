// src/server/routes/api/auth/logout.post.ts: what SessionService.logout() posts to
import { defineSessionLogoutHandler } from '@analog-tools/session';

export default defineSessionLogoutHandler();
