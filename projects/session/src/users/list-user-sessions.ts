// "Your sessions": the sessions of one user, found through the user's index (no key scan), described without
// anything that could be used as a session cookie.
import type { Storage } from 'unstorage';
import { sessionHandle } from '../core/keys';
import { isExpired, parseRecord, recordExpiresAt } from '../core/record';
import type { SessionEvent } from '../http/event';
import { userScope, type UserSessionsOptions } from './user-scope';
import { withStoreTimeout } from '../core/internal/with-store-timeout';

export type { UserSessionsOptions } from './user-scope';

/** One session of a user, as {@link listUserSessions} describes it. Never the session ID or its store key. */
export interface UserSession {
  /** Names this session for {@link revokeUserSession}: a hash of its store key, useless as a cookie. */
  handle: string;
  /** What the app passed as `label` to `setSessionUser` (e.g. the device), or null. */
  label: string | null;
  /** When the session started (ms since epoch); kept across regeneration, so it is the sign-in time. */
  createdAt: number;
  /** Its last write (ms since epoch): a session only read is re-written once per `touchAfter`, so this lags by up to that. */
  lastSeenAt: number;
  /** When it ends if left idle, or at its absolute timeout if that comes first (ms since epoch). */
  expiresAt: number;
  /** It is the session of the request passed in (`listUserSessions(event)` or `options.current`). */
  current: boolean;
}

/**
 * The sessions of a user, for a "your sessions" page: the current one first, then the most recently seen.
 * Given a request, the sessions of its own user (`[]` when it is anonymous); given the Storage and a user ID,
 * that user's (for admin tools). Expired sessions are left out. One store round trip.
 *
 * @example
 * // GET /api/sessions
 * export default defineEventHandler((event) => listUserSessions(event));
 */
export function listUserSessions(event: SessionEvent): Promise<UserSession[]>;
export function listUserSessions(store: Storage<any>, userId: string, options?: UserSessionsOptions): Promise<UserSession[]>;
export async function listUserSessions(
  target: SessionEvent | Storage<any>,
  userId?: string,
  options: UserSessionsOptions = {},
): Promise<UserSession[]> {
  const scope = await userScope('listUserSessions()', target, userId, options);
  const { store, userSet } = scope;
  if (userSet === undefined) return [];
  const members = await withStoreTimeout(
    store.backend,
    'listUserSessions()',
    scope.timeout,
    () => store.listUser(userSet, scope.currentKey),
    store.telemetry,
  );
  const now = Date.now();
  const limits = scope.maxAge === undefined ? undefined : { maxAge: scope.maxAge, absoluteTimeout: scope.absoluteTimeout };
  const sessions = await Promise.all(
    members.map(async ({ member, raw, current }): Promise<UserSession | undefined> => {
      const record = parseRecord(raw);
      if (!record || record.userId !== scope.userId || isExpired(record, now, limits)) return undefined;
      return {
        handle: await sessionHandle(member),
        label: record.label ?? null,
        createdAt: record.createdAt,
        lastSeenAt: record.updatedAt,
        expiresAt: recordExpiresAt(record),
        current,
      };
    }),
  );
  return sessions
    .filter((session): session is UserSession => session !== undefined)
    .sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt - a.lastSeenAt);
}
