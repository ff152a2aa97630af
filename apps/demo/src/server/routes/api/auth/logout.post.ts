import { defineSessionLogoutHandler } from '@analog-tools/session';
import { sessionConfig } from '../../../session-config';

/** POST /api/auth/logout: destroys the session and clears the cookie -> `{ authenticated: false }`. */
export default defineSessionLogoutHandler({ config: sessionConfig });
