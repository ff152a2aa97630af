/*
 * Public API of @analog-tools/session-angular.
 */
export { SessionService, SESSION_SUMMARY_STATE_KEY } from './lib/session.service';
export { sessionGuard, type SessionGuardOptions } from './lib/session.guard';
export {
  provideSession,
  withCrossTabSync,
  withLogoutUrl,
  withRefreshOnFocus,
  withServerCookieForwarding,
  withSummaryUrl,
  withUnauthorizedRefresh,
  type ServerCookieForwardingOptions,
  type SessionFeature,
  type SessionFeatureKind,
} from './lib/provide-session';
export { sessionCookieForwardingInterceptor, readCookieHeader } from './lib/session-cookie-forwarding.interceptor';
export { sessionUnauthorizedInterceptor } from './lib/session-unauthorized.interceptor';
export {
  DEFAULT_SESSION_CONFIG,
  SESSION_COOKIE_FORWARDING_FILTER,
  SESSION_CROSS_TAB_CHANNEL,
  SESSION_LOGOUT_URL,
  SESSION_REFRESH_ON_FOCUS,
  SESSION_SERVER_REQUEST,
  SESSION_SUMMARY_URL,
  SESSION_UNAUTHORIZED_REFRESH,
  type SessionServerRequest,
} from './lib/session-config';
export { SESSION_OWN_REQUEST } from './lib/session-http-context';
export { SESSION_CHANGED_MESSAGE } from './lib/session-tab-sync';
export type { SessionStatus, SessionSummary, SessionUser } from './lib/session-summary';
