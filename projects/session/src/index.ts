// Public API of @analog-tools/session: server-side sessions for h3 v1 (Analog, Nitro, Nuxt).
export { signCookie, unsignCookie } from './lib/cookie-signature';
export type { AvailableDrivers, ExtractDriverOptions } from './lib/compat/upstream-types';
export type { Storage } from 'unstorage';
export { createUnstorageStore, DEFAULT_LRU_MAX, type DriverOptions } from './lib/create-unstorage-store';
export { defineSessionLogoutHandler, type SessionLogoutOptions } from './lib/define-session-logout-handler';
export { defineSessionMiddleware } from './lib/define-session-middleware';
export { defineSessionSummaryHandler, type SessionSummary, type SessionSummaryOptions } from './lib/define-session-summary-handler';
export { destroySession } from './lib/destroy-session';
export { listUserSessions, type UserSession, type UserSessionsOptions } from './lib/list-user-sessions';
export { pruneExpiredSessions, type PruneExpiredSessionsOptions } from './lib/prune-expired-sessions';
export { refetchSession } from './lib/refetch-session';
export { regenerateSession, type RegenerateSessionOptions } from './lib/regenerate-session';
export { requireSession } from './lib/require-session';
export { revokeUserSession } from './lib/revoke-user-session';
export {
  DEFAULT_COOKIE_OPTIONS,
  DEFAULT_SESSION_CONFIG,
  MIN_SECRET_LENGTH,
  type CookieOptions,
  type SessionConfig,
  type SessionData,
} from './lib/session-config';
export { isSessionError, SESSION_ERROR_STATUS, SessionError, type SessionErrorCode } from './lib/session-error';
export {
  getSessionUser,
  MAX_SESSION_LABEL_LENGTH,
  revokeUserSessions,
  setSessionUser,
  type RevokeUserSessionsOptions,
  type SetSessionUserOptions,
} from './lib/session-user';
export { updateSession } from './lib/update-session';
export { getSession } from './lib/use-session';
export { useSession } from './lib/use-session-entry';
export { RedisSessionStore, type RedisSessionStoreOptions } from './lib/v003/redis-session-store';
export { UnstorageSessionStore } from './lib/v003/unstorage-session-store';
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
} from './lib/v003/v003-types';
