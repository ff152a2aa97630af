// Imports both packages as installed from their tarballs and names every export. Compiled under
// "moduleResolution": "nodenext" and "bundler" (tsconfig.*.json). It fails when a declaration does not resolve, and
// when an export is `any`: a re-export that does not resolve becomes `any` silently under skipLibCheck, and `any`
// satisfies every type, so the `@ts-expect-error` above each `satisfies Unrelated` line goes unused, which is an error.
import * as server from '@analog-tools/session';
import type {
  AvailableDrivers,
  CookieOptions,
  CsrfOptions,
  DriverOptions,
  ExtractDriverOptions,
  H3SessionOptions,
  RawSession,
  RedisSessionStoreOptions,
  SessionCookie,
  SessionCookieOptions,
  SessionDataT,
  SessionHandler,
  SessionStore,
  Storage,
  TTL,
  UnstorageSessionStoreOptions,
  PruneExpiredSessionsOptions,
  RegenerateSessionOptions,
  RequireFreshSessionOptions,
  RevokeUserSessionsOptions,
  SetSessionUserOptions,
  UserSession,
  UserSessionsOptions,
  SessionConfig,
  SessionData,
  SessionErrorCode,
  SessionLogoutOptions,
  SessionSummary as ServerSessionSummary,
  SessionSummaryOptions,
  SessionExpiry,
  SessionEventsOptions as ServerSessionEventsOptions,
  SessionEndReason,
  SessionEventHook,
  SessionLifecycleEvent,
  SessionRevokedBy,
  SessionLimitPolicy,
  RevokeUserSessionAdminOptions,
  RevokeUserSessionOptions,
  RevokeOtherSessionsOptions,
} from '@analog-tools/session';
import * as client from '@analog-tools/session-angular';
import type {
  ServerCookieForwardingOptions,
  SessionFeature,
  SessionFeatureKind,
  SessionGuardOptions,
  SessionServerRequest,
  SessionStatus,
  SessionSummary,
  SessionUser,
  SessionXsrfOptions,
  IdleTimeoutOptions,
  SessionEventsOptions,
} from '@analog-tools/session-angular';
import * as analog from '@analog-tools/session-angular/analog';
import type { AnalogSessionOptions } from '@analog-tools/session-angular/analog';

declare const unrelated: unique symbol;
/** A type that no export of either package is assignable to. */
type Unrelated = typeof unrelated;

/** One entry per value export of the package: a missing or unknown name fails to compile. */
export const serverExports: Record<keyof typeof server, true> = {
  createUnstorageStore: true,
  DEFAULT_COOKIE_OPTIONS: true,
  DEFAULT_CSRF_OPTIONS: true,
  DEFAULT_LRU_MAX: true,
  DEFAULT_SESSION_CONFIG: true,
  MAX_SESSION_LABEL_LENGTH: true,
  defineSessionEventsHandler: true,
  DEFAULT_SESSION_EVENTS_OPTIONS: true,
  defineSessionLogoutHandler: true,
  defineSessionMiddleware: true,
  defineSessionSummaryHandler: true,
  destroySession: true,
  getSession: true,
  getSessionAuthTime: true,
  getSessionUser: true,
  isSessionError: true,
  listUserSessions: true,
  MIN_SECRET_LENGTH: true,
  pruneExpiredSessions: true,
  RedisSessionStore: true,
  refetchSession: true,
  regenerateSession: true,
  requireFreshSession: true,
  requireSession: true,
  revokeUserSession: true,
  revokeUserSessions: true,
  SESSION_ERROR_STATUS: true,
  SessionError: true,
  setSessionUser: true,
  signCookie: true,
  UnstorageSessionStore: true,
  unsignCookie: true,
  updateSession: true,
  useSession: true,
};

/** One entry per value export of the package: a missing or unknown name fails to compile. */
export const clientExports: Record<keyof typeof client, true> = {
  DEFAULT_SESSION_CLIENT_CONFIG: true,
  injectSession: true,
  provideSession: true,
  sessionCookieForwardingInterceptor: true,
  sessionGuard: true,
  SessionLifecycle: true,
  SessionService: true,
  sessionUnauthorizedInterceptor: true,
  sessionXsrfInterceptor: true,
  withCrossTabSync: true,
  withIdleTimeout: true,
  withSessionEvents: true,
  withLogoutUrl: true,
  withRefreshOnFocus: true,
  withServerCookieForwarding: true,
  withSummaryUrl: true,
  withUnauthorizedRefresh: true,
  withXsrf: true,
};

export const analogExports: Record<keyof typeof analog, true> = {
  withAnalog: true,
};

/** Every value and type export is typed (see the file comment). */
export function everyExportIsTyped(): void {
  // @ts-expect-error
  server.createUnstorageStore satisfies Unrelated;
  // @ts-expect-error
  server.DEFAULT_COOKIE_OPTIONS satisfies Unrelated;
  // @ts-expect-error
  server.DEFAULT_CSRF_OPTIONS satisfies Unrelated;
  // @ts-expect-error
  server.DEFAULT_LRU_MAX satisfies Unrelated;
  // @ts-expect-error
  server.DEFAULT_SESSION_CONFIG satisfies Unrelated;
  // @ts-expect-error
  server.MAX_SESSION_LABEL_LENGTH satisfies Unrelated;
  // @ts-expect-error
  server.defineSessionLogoutHandler satisfies Unrelated;
  // @ts-expect-error
  server.defineSessionMiddleware satisfies Unrelated;
  // @ts-expect-error
  server.defineSessionSummaryHandler satisfies Unrelated;
  // @ts-expect-error
  server.destroySession satisfies Unrelated;
  // @ts-expect-error
  server.getSession satisfies Unrelated;
  // @ts-expect-error
  server.getSessionAuthTime satisfies Unrelated;
  // @ts-expect-error
  server.getSessionUser satisfies Unrelated;
  // @ts-expect-error
  server.listUserSessions satisfies Unrelated;
  // @ts-expect-error
  server.isSessionError satisfies Unrelated;
  // @ts-expect-error
  server.MIN_SECRET_LENGTH satisfies Unrelated;
  // @ts-expect-error
  server.pruneExpiredSessions satisfies Unrelated;
  // @ts-expect-error
  server.regenerateSession satisfies Unrelated;
  // @ts-expect-error
  server.requireFreshSession satisfies Unrelated;
  // @ts-expect-error
  server.requireSession satisfies Unrelated;
  // @ts-expect-error
  server.revokeUserSession satisfies Unrelated;
  // @ts-expect-error
  server.revokeUserSessions satisfies Unrelated;
  // @ts-expect-error
  server.SESSION_ERROR_STATUS satisfies Unrelated;
  // @ts-expect-error
  server.SessionError satisfies Unrelated;
  // @ts-expect-error
  server.setSessionUser satisfies Unrelated;
  // @ts-expect-error
  server.signCookie satisfies Unrelated;
  // @ts-expect-error
  server.unsignCookie satisfies Unrelated;
  // @ts-expect-error
  server.updateSession satisfies Unrelated;
  // @ts-expect-error
  server.useSession satisfies Unrelated;
  // @ts-expect-error
  server.RedisSessionStore satisfies Unrelated;
  // @ts-expect-error
  server.refetchSession satisfies Unrelated;
  // @ts-expect-error
  server.UnstorageSessionStore satisfies Unrelated;
  // @ts-expect-error
  null as unknown as AvailableDrivers satisfies Unrelated;
  // @ts-expect-error
  null as unknown as ExtractDriverOptions<'memory'> satisfies Unrelated;
  // @ts-expect-error
  null as unknown as H3SessionOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as RawSession satisfies Unrelated;
  // @ts-expect-error
  null as unknown as RedisSessionStoreOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionCookie satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionCookieOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionDataT satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionHandler satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionStore satisfies Unrelated;
  // @ts-expect-error
  null as unknown as Storage satisfies Unrelated;
  // @ts-expect-error
  null as unknown as TTL satisfies Unrelated;
  // @ts-expect-error
  null as unknown as UnstorageSessionStoreOptions satisfies Unrelated;
  // @ts-expect-error
  client.DEFAULT_SESSION_CLIENT_CONFIG satisfies Unrelated;
  // @ts-expect-error
  client.injectSession satisfies Unrelated;
  // @ts-expect-error
  client.provideSession satisfies Unrelated;
  // @ts-expect-error
  client.sessionCookieForwardingInterceptor satisfies Unrelated;
  // @ts-expect-error
  client.sessionGuard satisfies Unrelated;
  // @ts-expect-error
  client.SessionLifecycle satisfies Unrelated;
  // @ts-expect-error
  client.SessionService satisfies Unrelated;
  // @ts-expect-error
  client.sessionUnauthorizedInterceptor satisfies Unrelated;
  // @ts-expect-error
  client.sessionXsrfInterceptor satisfies Unrelated;
  // @ts-expect-error
  client.withCrossTabSync satisfies Unrelated;
  // @ts-expect-error
  client.withLogoutUrl satisfies Unrelated;
  // @ts-expect-error
  client.withRefreshOnFocus satisfies Unrelated;
  // @ts-expect-error
  client.withServerCookieForwarding satisfies Unrelated;
  // @ts-expect-error
  client.withSummaryUrl satisfies Unrelated;
  // @ts-expect-error
  client.withUnauthorizedRefresh satisfies Unrelated;
  // @ts-expect-error
  client.withXsrf satisfies Unrelated;
  // @ts-expect-error
  analog.withAnalog satisfies Unrelated;
  // @ts-expect-error
  null as unknown as CookieOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as CsrfOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as DriverOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as PruneExpiredSessionsOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as RegenerateSessionOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as RequireFreshSessionOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as RevokeUserSessionsOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SetSessionUserOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as UserSession satisfies Unrelated;
  // @ts-expect-error
  null as unknown as UserSessionsOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionConfig satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionData satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionErrorCode satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionLogoutOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as ServerSessionSummary<object> satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionSummaryOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as AnalogSessionOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as ServerCookieForwardingOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionFeature satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionFeatureKind satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionGuardOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionServerRequest satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionStatus satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionSummary satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionUser satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionXsrfOptions satisfies Unrelated;
  // @ts-expect-error
  server.defineSessionEventsHandler satisfies Unrelated;
  // @ts-expect-error
  server.DEFAULT_SESSION_EVENTS_OPTIONS satisfies Unrelated;
  // @ts-expect-error
  client.withIdleTimeout satisfies Unrelated;
  // @ts-expect-error
  client.withSessionEvents satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionExpiry satisfies Unrelated;
  // @ts-expect-error
  null as unknown as ServerSessionEventsOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionEndReason satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionEventHook satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionLifecycleEvent satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionRevokedBy satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionLimitPolicy satisfies Unrelated;
  // @ts-expect-error
  null as unknown as RevokeUserSessionAdminOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as RevokeUserSessionOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as RevokeOtherSessionsOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as IdleTimeoutOptions satisfies Unrelated;
  // @ts-expect-error
  null as unknown as SessionEventsOptions satisfies Unrelated;
}

/** Misuses that only fail when the declarations are typed. */
export function misuses(): void {
  // @ts-expect-error the secret is a string
  server.defineSessionMiddleware({ store: server.createUnstorageStore({ type: 'memory' }), secret: 42 });
  // @ts-expect-error revokeUserSessions needs a store and a user id
  void server.revokeUserSessions('user-1');
  // @ts-expect-error sessionGuard takes options, not a URL
  client.sessionGuard('/login');
  // @ts-expect-error provideSession takes features made by the with*() functions
  client.provideSession({ summaryUrl: '/api/session' });
  // @ts-expect-error the idle signals are SessionLifecycle's (withIdleTimeout()), not SessionService's
  void (null as unknown as client.SessionService).warning;
  // @ts-expect-error the lifecycle signals are read-only
  (null as unknown as client.SessionLifecycle).warning.set(true);
  // @ts-expect-error withAnalog takes an options object
  analog.withAnalog([]);
}

/** revokeUserSessions resolves with how many sessions it ended. */
export async function revokedCount(store: Parameters<typeof server.revokeUserSessions>[0]): Promise<number> {
  return server.revokeUserSessions(store, 'user-1');
}
