// Public API of @analog-tools/session: server-side sessions for h3 v1 and v2 (Analog, Nitro, Nuxt, plain h3).
export { signCookie, unsignCookie } from './core/cookie-signature';
export type { AvailableDrivers, ExtractDriverOptions } from './compat/upstream-types';
export type { Storage } from 'unstorage';
export { createUnstorageStore, DEFAULT_LRU_MAX, type DriverOptions } from './stores/create-unstorage-store';
export { defineSessionLogoutHandler, type SessionLogoutOptions } from './api/define-session-logout-handler';
export { defineSessionMiddleware } from './api/define-session-middleware';
export {
  defineSessionSummaryHandler,
  type SessionExpiry,
  type SessionSummary,
  type SessionSummaryOptions,
} from './api/define-session-summary-handler';
export { defineSessionEventsHandler, DEFAULT_SESSION_EVENTS_OPTIONS, type SessionEventsOptions } from './api/define-session-events-handler';
export type { SessionEndReason, SessionEventHook, SessionLifecycleEvent, SessionRevokedBy } from './core/session-events';
export type { SessionLimitPolicy } from './core/backend';
export { destroySession } from './api/destroy-session';
export { listUserSessions, type UserSession, type UserSessionsOptions } from './users/list-user-sessions';
export { pruneExpiredSessions, type PruneExpiredSessionsOptions } from './stores/prune-expired-sessions';
export { refetchSession } from './api/refetch-session';
export { regenerateSession, type RegenerateSessionOptions } from './api/regenerate-session';
export { requireFreshSession, type RequireFreshSessionOptions } from './api/require-fresh-session';
export { requireSession } from './api/require-session';
export { revokeUserSession, type RevokeUserSessionAdminOptions, type RevokeUserSessionOptions } from './users/revoke-user-session';
export {
  DEFAULT_COOKIE_OPTIONS,
  DEFAULT_CSRF_OPTIONS,
  DEFAULT_SESSION_CONFIG,
  MIN_SECRET_LENGTH,
  type CookieOptions,
  type CsrfOptions,
  type SessionConfig,
  type SessionData,
} from './core/config';
export { isSessionError, SESSION_ERROR_STATUS, SessionError, type SessionErrorCode } from './core/errors';
export {
  getSessionAuthTime,
  getSessionUser,
  MAX_SESSION_LABEL_LENGTH,
  revokeUserSessions,
  setSessionUser,
  type RevokeOtherSessionsOptions,
  type RevokeUserSessionsOptions,
  type SetSessionUserOptions,
} from './users/session-user';
export { updateSession } from './api/update-session';
export { getSession } from './api/get-session';
export { useSession } from './use-session';
export { RedisSessionStore, type RedisSessionStoreOptions } from './compat/v003/redis-session-store';
export { UnstorageSessionStore } from './compat/v003/unstorage-session-store';
export type {
  H3SessionOptions,
  RawSession,
  SessionCookie,
  SessionCookieOptions,
  SessionDataT,
  SessionHandler,
  SessionStore,
  TTL,
  UnstorageSessionStoreOptions,
} from './compat/v003/v003-types';
