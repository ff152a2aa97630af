import { describe, expect, it } from 'vitest';

import * as api from './public-api';

describe('public API', () => {
  it('changes only on purpose', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "DEFAULT_SESSION_CLIENT_CONFIG",
        "SessionLifecycle",
        "SessionService",
        "injectSession",
        "provideSession",
        "sessionCookieForwardingInterceptor",
        "sessionGuard",
        "sessionUnauthorizedInterceptor",
        "sessionXsrfInterceptor",
        "withCrossTabSync",
        "withIdleTimeout",
        "withLogoutUrl",
        "withRefreshOnFocus",
        "withServerCookieForwarding",
        "withSessionEvents",
        "withSummaryUrl",
        "withUnauthorizedRefresh",
        "withXsrf",
      ]
    `);
  });

  it('has the defaults the README and docs/contract.md promise', () => {
    expect(api.DEFAULT_SESSION_CLIENT_CONFIG).toEqual({
      summaryUrl: '/api/session',
      logoutUrl: '/api/auth/logout',
      refreshOnFocusAfterMs: 30_000,
      crossTabChannel: 'analog-session',
      unauthorizedRefresh: true,
      xsrfCookieName: 'XSRF-TOKEN',
      xsrfHeaderName: 'X-XSRF-TOKEN',
    });
  });
});
