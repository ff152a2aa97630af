import type { SessionLimitPolicy } from '@analog-tools/session';

/** The demo's per-user session limit (the session config's `maxSessionsPerUser` and `sessionLimitPolicy`). */
export interface SessionLimitSettings {
  maxSessionsPerUser?: number;
  sessionLimitPolicy?: SessionLimitPolicy;
}

/**
 * The per-user session limit, from `SESSION_MAX_PER_USER` (a whole number from 1; unset or empty: the library's
 * default, 100) and `SESSION_LIMIT_POLICY` (`evict-oldest`, the default, or `deny-new`). Any other value fails at
 * server start, naming the variable: a typo must not silently leave a user with unlimited or no sessions.
 */
export function sessionLimitSettings(env: NodeJS.ProcessEnv = process.env): SessionLimitSettings {
  const settings: SessionLimitSettings = {};
  const max = env['SESSION_MAX_PER_USER'] ?? '';
  if (max !== '') {
    if (!/^[1-9][0-9]{0,5}$/.test(max)) {
      throw new Error(
        `[session demo] SESSION_MAX_PER_USER must be a whole number from 1 to 999999, not '${max}'. ` +
          'Leave it unset for the default of 100 sessions per user.',
      );
    }
    settings.maxSessionsPerUser = Number(max);
  }
  const policy = env['SESSION_LIMIT_POLICY'] ?? '';
  if (policy !== '') {
    if (policy !== 'evict-oldest' && policy !== 'deny-new') {
      throw new Error(
        `[session demo] SESSION_LIMIT_POLICY must be 'evict-oldest' or 'deny-new', not '${policy}'. ` +
          "Leave it unset for 'evict-oldest' (a login beyond the limit signs out the user's oldest session).",
      );
    }
    settings.sessionLimitPolicy = policy;
  }
  return settings;
}
