import { describe, expect, it } from 'vitest';

import * as api from './public-api';

describe('public API', () => {
  it('changes only on purpose', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "DEFAULT_SESSION_CONFIG",
        "SESSION_CHANGED_MESSAGE",
        "SESSION_COOKIE_FORWARDING_FILTER",
        "SESSION_CROSS_TAB_CHANNEL",
        "SESSION_LOGOUT_URL",
        "SESSION_OWN_REQUEST",
        "SESSION_REFRESH_ON_FOCUS",
        "SESSION_SERVER_REQUEST",
        "SESSION_SUMMARY_STATE_KEY",
        "SESSION_SUMMARY_URL",
        "SESSION_UNAUTHORIZED_REFRESH",
        "SessionService",
        "provideSession",
        "readCookieHeader",
        "sessionCookieForwardingInterceptor",
        "sessionGuard",
        "sessionUnauthorizedInterceptor",
        "withCrossTabSync",
        "withLogoutUrl",
        "withRefreshOnFocus",
        "withServerCookieForwarding",
        "withSummaryUrl",
        "withUnauthorizedRefresh",
      ]
    `);
  });

  it('has the defaults the README and docs/contract.md promise', () => {
    expect(api.DEFAULT_SESSION_CONFIG).toEqual({
      summaryUrl: '/api/session',
      logoutUrl: '/api/auth/logout',
      refreshOnFocusAfterMs: 30_000,
      crossTabChannel: 'analog-session',
      unauthorizedRefresh: true,
    });
  });
});
