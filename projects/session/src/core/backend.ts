// The operations sessions need from a store, on top of any unstorage Storage: one read, one create, one
// conditional write, a delete and a per-user revocation, plus what this process keeps per store. Implementations:
// stores/redis.ts (atomic scripts, across instances), stores/sql/ (conditional statements, across instances)
// and stores/generic.ts (every other driver); stores/get-backend.ts
// picks one per Storage.
import { createKeyedMutex, type KeyedMutex } from './internal/keyed-mutex';
import type { CachedRecord, SessionRecord } from './record';
import { createSessionEvents, type SessionEvents } from './session-events';
import type { SessionTelemetry } from './telemetry';

/**
 * Outcome of a conditional write; `moved`: the key holds the mark a regeneration left (see MOVED_MARK_MS); `full`:
 * the bind would exceed the user's session limit under the 'deny-new' policy (nothing written). `evicted`: the store
 * members (see SessionBackend.memberName) a bind ended under the 'evict-oldest' policy.
 */
export type WriteResult =
  | { status: 'ok'; evicted?: string[] }
  | { status: 'conflict'; current: unknown }
  | { status: 'missing' }
  | { status: 'moved' }
  | { status: 'full' };

/** What a bind does when the user already has `max` sessions. */
export type SessionLimitPolicy = 'evict-oldest' | 'deny-new';

/** The session limit a bind applies (see SessionConfig.maxSessionsPerUser). */
export interface SessionLimit {
  max: number;
  policy: SessionLimitPolicy;
}

/** Moves a session between per-user index sets as part of a write. */
export interface UserSetChange {
  /** Index set the written key joins. */
  add?: string;
  /** Index set the old key leaves. */
  remove?: string;
  /**
   * Set when the write binds the session to the user of `add` (its user changes): the record's `createdAt`.
   * The write is refused, and the record deleted, when that user's sessions were revoked at or after it, so a
   * login whose password check finished before a revocation cannot bind after it.
   */
  bindCreatedAt?: number;
  /** The limit of the user of `add`. @default DEFAULT_SESSION_LIMIT */
  limit?: SessionLimit;
}

/** What else a {@link SessionBackend.compareAndSet} does in the same atomic step. */
export interface CompareAndSetOptions {
  /** Writes the value under this key instead and leaves a moved mark under the old one (regeneration). */
  renameTo?: string;
  /** Index sets to update: the old key leaves `remove`, the written key joins `add`. */
  users?: UserSetChange;
}

/**
 * Milliseconds a revocation refuses to bind sessions created before it: longer than any login in flight takes.
 * A session created earlier (an anonymous visitor's) that logs in within this window is refused once
 * (`EXPIRED_SESSION`, a fresh session), and succeeds on the next try.
 */
export const REVOCATION_WINDOW_MS = 60_000;

/**
 * Sessions one user may have at once. A login beyond it ends the user's session that expires first (the
 * least recently active), deleting its record, so the work of one login and the size of the index stay bounded.
 */
export const DEFAULT_MAX_SESSIONS_PER_USER = 100;

/** The limit of a bind whose caller names none. */
export const DEFAULT_SESSION_LIMIT: SessionLimit = { max: DEFAULT_MAX_SESSIONS_PER_USER, policy: 'evict-oldest' };

/** A session of a user's index, as {@link SessionBackend.listUser} finds it. */
export interface UserSetMember {
  /** The store's own name for the record (opaque to callers: pass it back to `removeMember`). */
  member: string;
  /** The raw record, as `get` returns it; null when it vanished since it was indexed. */
  raw: unknown;
  /** It is the record stored under the `currentKey` given to `listUser`. */
  current: boolean;
}

/**
 * Session-level store operations. Every method may reject; callers wrap them in `withStoreTimeout`. A write
 * method's last argument, `deadline`, is that call's deadline (`performance.now()` time): a backend that can
 * refuse a write arriving past it does (Redis); others ignore it. Omitted, the write has no deadline.
 */
export interface SessionBackend {
  /** Driver name, used in error messages ('redis', 'memory', 'fs', ...). */
  readonly backend: string;
  /** True when the driver expires keys itself, so no sweep is needed. */
  readonly nativeTtl: boolean;
  /**
   * True on Redis Cluster: keys carry hash tags (session-keys.ts), so a session's record, its new key on
   * regeneration and its user's index share a slot. @default false
   */
  readonly hashTags?: boolean;
  /**
   * The one lock of this process per record key: every write and delete of a session record runs under
   * `locks.run(key)`, so writers of one session queue instead of racing (and, off Redis, the check and the
   * write of a compare-and-set cannot interleave with another writer).
   */
  readonly locks: KeyedMutex;
  /** Parsed copies of recently read or written records, by key (record-cache.ts). */
  readonly records: Map<string, CachedRecord>;
  /** The record this process last wrote under a key while other writers of it were queued (write.ts). */
  readonly handoffs: Map<string, SessionRecord<any>>;
  /** Adoptions of sessions of the published 0.0.x releases (legacy-sessions.ts). */
  readonly adoptions: LegacyAdoptions;
  /** When this process last started an expiry sweep of the store (ms since epoch). */
  lastPrune: number | undefined;
  /** Hooks, notice channel and open streams of this store (session-events.ts). */
  readonly events: SessionEvents;
  /** The store's name for a record key in a user's index and in {@link revokeUser}'s answer (the handle is a hash of it). */
  memberName(key: string): string;
  /**
   * Where this view of the store reports what core alone sees (timeouts, retries, refused cookies): set on the
   * view stores/telemetry.ts wraps around a backend when OpenTelemetry is on, undefined otherwise.
   */
  readonly telemetry?: SessionTelemetry;
  /** The raw record; synchronous when the driver answers synchronously (memory, lru-cache). */
  get(key: string): unknown;
  /** Writes a new record under a fresh key. */
  create(key: string, value: string, ttlMs: number, deadline?: number): Promise<void>;
  /**
   * Writes `value` if the record at `key` still has `expectedVersion`; `missing` when it is gone, `conflict`
   * (with the stored value) when another writer changed it. Renames and index updates happen in the same step.
   * Synchronous when the driver answers synchronously and there is no rename or index to change.
   */
  compareAndSet(
    key: string,
    expectedVersion: number,
    value: string,
    ttlMs: number,
    options?: CompareAndSetOptions,
    deadline?: number,
  ): WriteResult | Promise<WriteResult>;
  /** Deletes a record and drops it from its user's index; true when this call deleted it. */
  remove(key: string, userSet?: string, deadline?: number): Promise<boolean>;
  /**
   * Deletes the record at `key` only while it still has `version` (an expired record, found by a read or a sweep),
   * dropping it from `userSet`; true when this call deleted it, so exactly one of concurrent callers reports it.
   */
  removeIfVersion(key: string, version: number, userSet?: string, deadline?: number): Promise<boolean>;
  /**
   * Deletes every session in `userSet` but `exceptKey` and, in the same step, records the time in
   * {@link revocationKey} for {@link REVOCATION_WINDOW_MS}; returns the members (see memberName) it deleted, each
   * with its record as it was.
   */
  revokeUser(userSet: string, exceptKey?: string, deadline?: number): Promise<DeletedMember[]>;
  /** The unexpired sessions of the index `userSet` with their records, marking the one stored under `currentKey`. */
  listUser(userSet: string, currentKey?: string): Promise<UserSetMember[]>;
  /** Deletes the record `member` (a name `listUser` gave) and drops it from `userSet`; false when it was gone. */
  removeMember(userSet: string, member: string, deadline?: number): Promise<boolean>;
  /**
   * For stores without native TTL: drops the expired entries of the index `userSet`, deleting it when none is
   * left (then returns 1, else 0).
   */
  pruneUserSet?(userSet: string, now: number): Promise<number>;
  /**
   * For stores that keep the expiry beside each record (SQL): deletes every expired record, mark and index entry at
   * `now` in one step, instead of pruneExpiredSessions' scan of the keys; returns what it deleted (marks too), so
   * the sweep reports the session records among them as `expired`.
   */
  prune?(now: number): Promise<DeletedMember[]>;
}

/** A record a store call deleted ({@link SessionBackend.revokeUser}, {@link SessionBackend.prune}). */
export interface DeletedMember {
  /** The store's name for it (see memberName). */
  member: string;
  /** The record as it was (null when it had vanished already). */
  raw: unknown;
}

/** Legacy adoptions in flight and done, per store. */
export interface LegacyAdoptions {
  /** One adoption at a time per legacy ID. */
  locks: KeyedMutex;
  /** Legacy ID -> the session it became, for requests that still carry the old cookie. */
  done: Map<string, { id: string; key: string; until: number }>;
}

/** What this process keeps per store, whichever the implementation: fresh and empty. */
export function createBackendState(): Pick<SessionBackend, 'locks' | 'records' | 'handoffs' | 'adoptions' | 'lastPrune' | 'events'> {
  return {
    locks: createKeyedMutex(),
    records: new Map(),
    handoffs: new Map(),
    adoptions: { locks: createKeyedMutex(), done: new Map() },
    lastPrune: undefined,
    events: createSessionEvents(),
  };
}
