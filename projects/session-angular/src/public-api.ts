/*
 * Public API of @analog-tools/session-angular: what apps use. Injection tokens, TransferState keys and
 * HttpContext marks stay private (Angular keeps its XSRF tokens private the same way); each setting has a
 * `with*()` feature. Analog's one-call setup lives in the `@analog-tools/session-angular/analog` entry point.
 */
export { SessionService } from './lib/session.service';
export { injectSession } from './lib/inject-session';
export { sessionGuard, type SessionGuardOptions } from './lib/session.guard';
export {
  provideSession,
  withCrossTabSync,
  withLogoutUrl,
  withRefreshOnFocus,
  withServerCookieForwarding,
  withSummaryUrl,
  withUnauthorizedRefresh,
  withXsrf,
  type ServerCookieForwardingOptions,
  type SessionFeature,
  type SessionFeatureKind,
  type SessionXsrfOptions,
} from './lib/provide-session';
export { SessionLifecycle } from './lib/session-lifecycle';
export { withIdleTimeout, type IdleTimeoutOptions } from './lib/session-idle-timeout';
export { withSessionEvents, type SessionEventsOptions } from './lib/session-events';
export { sessionCookieForwardingInterceptor } from './lib/session-cookie-forwarding.interceptor';
export { sessionUnauthorizedInterceptor } from './lib/session-unauthorized.interceptor';
export { sessionXsrfInterceptor } from './lib/session-xsrf.interceptor';
export { DEFAULT_SESSION_CLIENT_CONFIG } from './lib/session-config';
export type { SessionServerRequest } from './lib/session-server-request';
export type { SessionStatus, SessionSummary, SessionUser } from './lib/session-summary';
