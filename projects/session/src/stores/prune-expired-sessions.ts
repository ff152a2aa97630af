import type { Storage } from 'unstorage';
import { normalizeKey } from 'unstorage';
import { getSessionBackend } from './get-backend';
import { DEFAULT_SESSION_CONFIG } from '../core/config';
import { expiryCause, isExpired, movedMarkTime, MOVED_MARK_MS, parseRecord } from '../core/record';
import { handleOf, isHeard, reportSessionEvents, type SessionLifecycleEvent } from '../core/session-events';
import { REVOCATION_WINDOW_MS } from '../core/backend';
import type { SessionState } from '../core/state';

/** Options of {@link pruneExpiredSessions}. */
export interface PruneExpiredSessionsOptions {
  /** Store key prefix, as in the session config. @default 'sess:' */
  prefix?: string;
  /** The time to compare expiries with (ms since epoch). @default Date.now() */
  now?: number;
}

/**
 * Deletes expired and unreadable session records (keys of the form `prefix` + 64 hex digits) under `prefix`,
 * and, on stores without native TTL, the user indexes whose sessions all expired (trimming the others) and
 * revocation times older than `REVOCATION_WINDOW_MS`.
 * useSession() runs it in the background every `pruneInterval` seconds for drivers that do not expire keys
 * themselves (memory, fs, ...); call it from a scheduled task if you turn that off. Returns how many records were deleted.
 *
 * @example
 * await pruneExpiredSessions(store); // e.g. from a Nitro scheduled task
 */
export async function pruneExpiredSessions(store: Storage<any>, options: PruneExpiredSessionsOptions = {}): Promise<number> {
  const prefix = normalizeKey(options.prefix ?? DEFAULT_SESSION_CONFIG.prefix);
  const now = options.now ?? Date.now();
  const sessions = getSessionBackend(store, prefix);
  if (sessions.prune) {
    const deleted = await sessions.prune(now);
    if (isHeard(sessions.events)) {
      // One statement deleted them: each expired session is reported by exactly one sweep, of any instance.
      const expired = await Promise.all(
        deleted.map(async ({ member, raw }): Promise<SessionLifecycleEvent | undefined> => {
          const record = parseRecord(raw);
          if (!record) return undefined;
          const cause = expiryCause(record, now);
          return { type: 'expired', session: await handleOf(member), userId: record.userId ?? null, cause, foundBy: 'sweeper', at: now };
        }),
      );
      await reportSessionEvents(
        sessions.events,
        expired.filter((event) => event !== undefined),
      );
    }
    return deleted.length;
  }
  // Only our record keys (prefix + SHA-256 hex): user indexes and sessions of the published 0.0.x releases
  // (which may share the 'sess:' prefix, and wait there to be adopted) are not ours to judge.
  const all = await store.getKeys(prefix);
  const keys = all.filter((key) => /^:?[0-9a-f]{64}$/.test(key.slice(prefix.length)));
  const written = options.prefix ?? DEFAULT_SESSION_CONFIG.prefix;
  let removed = 0;
  for (let i = 0; i < keys.length; i += 100) {
    await Promise.all(
      keys.slice(i, i + 100).map(async (key) => {
        const raw = await store.getItemRaw(key);
        const record = parseRecord(raw);
        // A moved mark lives MOVED_MARK_MS (stores without native TTL rely on this sweep for that).
        const movedAt = record ? undefined : movedMarkTime(raw);
        if (movedAt !== undefined && now - movedAt < MOVED_MARK_MS) return;
        if (!record) {
          await store.removeItem(key);
          removed++;
        } else if (isExpired(record, now)) {
          // Addressed as the library writes it, so the deletion is the one a concurrent read would make: only one
          // of them reports `expired`.
          const recordKey = written + key.slice(prefix.length).replace(/^:/, '');
          // Its user index is trimmed below (pruneUserSet), as it always was.
          if (!(await sessions.removeIfVersion(recordKey, record.version))) return;
          removed++;
          if (!isHeard(sessions.events)) return;
          const session = await handleOf(sessions.memberName(recordKey));
          const cause = expiryCause(record, now);
          await reportSessionEvents(sessions.events, [
            { type: 'expired', session, userId: record.userId ?? null, cause, foundBy: 'sweeper', at: now },
          ]);
        }
      }),
    );
  }
  if (!sessions.nativeTtl && sessions.pruneUserSet) {
    // Found as the driver lists them, addressed as the library writes them (revocationKey() of the index key).
    for (const key of all) {
      const [, revoked, hash] = /^:?user:(revoked:)?([0-9a-f]{64})$/.exec(key.slice(prefix.length)) ?? [];
      if (!hash) continue;
      if (!revoked) {
        removed += await sessions.pruneUserSet(`${written}user:${hash}`, now);
        continue;
      }
      const revokedAt = await store.getItem(key);
      if (!(typeof revokedAt === 'number' && now - revokedAt < REVOCATION_WINDOW_MS)) {
        await store.removeItem(key);
        removed++;
      }
    }
  }
  return removed;
}

/** Starts a background sweep when this store needs one and the last one is `pruneInterval` old at `now`. */
export function schedulePrune(state: SessionState<any>, now: number): void {
  const { config, store } = state;
  const storage = config.store;
  if (config.pruneInterval === false || store.nativeTtl || !storage) return;
  const last = store.lastPrune;
  if (last !== undefined && now - last < config.pruneInterval * 1000) return;
  store.lastPrune = now;
  // The first request only starts the clock.
  if (last !== undefined) pruneExpiredSessions(storage, { prefix: config.prefix, now }).catch(() => undefined);
}
