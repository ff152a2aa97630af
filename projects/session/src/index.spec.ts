import { expect, it } from 'vitest';
import * as api from './index';

it('exports exactly the public API (update this snapshot only on purpose)', () => {
  expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
    [
      "DEFAULT_COOKIE_OPTIONS",
      "DEFAULT_CSRF_OPTIONS",
      "DEFAULT_LRU_MAX",
      "DEFAULT_SESSION_CONFIG",
      "DEFAULT_SESSION_EVENTS_OPTIONS",
      "MAX_SESSION_LABEL_LENGTH",
      "MIN_SECRET_LENGTH",
      "RedisSessionStore",
      "SESSION_ERROR_STATUS",
      "SessionError",
      "UnstorageSessionStore",
      "createUnstorageStore",
      "defineSessionEventsHandler",
      "defineSessionLogoutHandler",
      "defineSessionMiddleware",
      "defineSessionSummaryHandler",
      "destroySession",
      "getSession",
      "getSessionAuthTime",
      "getSessionUser",
      "isSessionError",
      "listUserSessions",
      "pruneExpiredSessions",
      "refetchSession",
      "regenerateSession",
      "requireFreshSession",
      "requireSession",
      "revokeUserSession",
      "revokeUserSessions",
      "setSessionUser",
      "signCookie",
      "unsignCookie",
      "updateSession",
      "useSession",
    ]
  `);
});
