// The writes every public operation shares: creating a session, and the compare-and-set loop that changes
// a stored one. One mechanism serializes them in this process: the store's per-key lock (withSessionLock).
import type { ResolvedSessionConfig, SessionData } from './config';
import { generateSessionId } from './crypto';
import { SessionError, withUpstreamPhrase } from './errors';
import { LockWaitTimeout } from './internal/keyed-mutex';
import { recordUserSet, storeKey } from './keys';
import { checkSessionData } from './check-session-data';
import { isExpired, remainingMs, serializeRecord, type SessionRecord } from './record';
import { forgetRecord, parseCached, rememberRecord } from './record-cache';
import { resetState, storeCall, storeStep, type SessionKey, type SessionState } from './state';
import type { SessionBackend, UserSetChange } from './backend';
import { handleOf, isHeard, reportSessionEvents, type SessionLifecycleEvent } from './session-events';

/**
 * A new session ID and its store key. With hash tags the ID starts with `tag` when one is given (its slot:
 * the old ID's on regeneration, the user's on binding), with random characters otherwise.
 */
export async function newSessionKey(prefix: string, hashTags = false, tag?: string): Promise<SessionKey> {
  const random = generateSessionId();
  const id = hashTags && tag ? tag + random.slice(tag.length) : random;
  return { id, key: await storeKey(prefix, id, hashTags) };
}

/**
 * Runs `task` holding the store's lock on this request's session, so that no two writes of one session in
 * this process interleave, whether they come from this request or from others. A session not stored yet is
 * locked under the key it will get. When the session moved while `task` waited (regenerated, destroyed), it
 * waits again under the new key. Waiting for the writes queued before it is bounded by `config.timeout` too:
 * past it, `STORAGE_ERROR`, so a slow store cannot make a queue of requests wait one store timeout each.
 */
export async function withSessionLock<R>(state: SessionState<any>, task: () => Promise<R>): Promise<R> {
  const { timeout } = state.config;
  for (;;) {
    const key = state.key ?? (state.fresh ??= await newSessionKey(state.config.prefix, state.store.hashTags)).key;
    const ours = () => (state.key ?? state.fresh?.key) === key;
    let outcome: R | typeof MOVED;
    try {
      outcome = await state.store.locks.run<R | typeof MOVED>(key, () => (ours() ? task() : moved), timeout);
    } catch (error) {
      if (!(error instanceof LockWaitTimeout)) throw error;
      const message =
        `the ${state.store.backend} store did not finish the writes queued before this one on the session within ` +
        `${timeout} ms. Check that it is reachable, or raise config.timeout.`;
      throw new SessionError('STORAGE_ERROR', message, { backend: state.store.backend, timeoutMs: timeout });
    }
    if (outcome !== MOVED) return outcome;
  }
}

/** What withSessionLock's step gives when the session moved while it waited: no wrapper object per write. */
const MOVED = Symbol('moved');
const moved = Promise.resolve(MOVED);

/** A new record for data created now. */
export function newRecord<T extends SessionData>(config: ResolvedSessionConfig<T>, data: T, now: number): SessionRecord<T> {
  return {
    version: 1,
    data,
    createdAt: now,
    updatedAt: now,
    expiresAt: now + config.maxAge * 1000,
    ...(config.absoluteTimeout ? { absoluteExpiresAt: now + config.absoluteTimeout * 1000 } : {}),
  };
}

/**
 * Stores `data` as a brand-new session of this request (under `state.fresh`); its cookie is then due. Call it under
 * withSessionLock.
 */
export async function persistNew<T extends SessionData>(state: SessionState<T>, data: T): Promise<void> {
  const { id, key } = (state.fresh ??= await newSessionKey(state.config.prefix, state.store.hashTags));
  const record = newRecord(state.config, data, Date.now());
  const value = serializeRecord(record);
  await storeCall(state, 'create', (deadline) => state.store.create(key, value, remainingMs(record, record.createdAt), deadline));
  rememberRecord(state.store, key, value, record);
  Object.assign(state, { id, key, record, data: record.data, fresh: undefined });
  // `created` sends no notice: only hooks hear it.
  if (state.store.events.hooks.size > 0) {
    const session = await handleOf(state.store.memberName(key));
    await reportSessionEvents(state.store.events, [{ type: 'created', session, userId: null, at: record.createdAt }]);
  }
}

/** Attempts before a write gives up under contention from other instances. */
const MAX_ATTEMPTS = 100;

/** What a {@link mutateStored} step produces from the freshest record. */
export interface Mutation<T extends SessionData> {
  data: T;
  userId?: string;
  /** The session's label among its user's; `null` drops it. @default the current label while the user stays the same */
  label?: string | null;
  /** Whether the session is remembered (see SessionRecord.persistent). @default as it was while the user stays the same */
  persistent?: boolean;
  /** When the user authenticated (ms since epoch). @default the current one while the user stays the same */
  authAt?: number;
}

/**
 * Applies `change` to the freshest stored copy of the session and writes it with a compare-and-set,
 * re-running `change` on the newer copy when another writer (another instance, or a request that read
 * before the last write) got there first. `renameTo` moves the session to a new ID in the same step.
 * Resolves to whether the cookie is due again (see cookieDue). `change` may return `undefined` when the freshest
 * record needs no write (a touch another request already made): nothing is written. Throws `EXPIRED_SESSION` (and
 * resets the request's session) when the record is gone. Call it under withSessionLock, on a stored session.
 */
export async function mutateStored<T extends SessionData>(
  state: SessionState<T>,
  operation: string,
  change: (current: SessionRecord<T>) => Mutation<T> | undefined,
  renameTo?: SessionKey,
): Promise<boolean> {
  const { store } = state;
  const key = state.key!;
  // The record the last queued writer of this key stored: starting from it saves a conflicting round trip.
  const handoff = store.handoffs;
  const known = handoff.get(key);
  let base: SessionRecord<T> | null = known && known.version > state.record!.version ? known : state.record;
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS && base; attempt++) {
      const now = Date.now();
      if (isExpired(base, now, state.config)) break;
      const mutation = change(base);
      if (mutation === undefined) return false;
      const { data, userId, label: newLabel, authAt } = mutation;
      // Like the label, "remember me" goes with the binding.
      const persistent = userId === undefined ? undefined : (mutation.persistent ?? (userId === base.userId ? base.persistent : undefined));
      const idleMs = (persistent === false ? state.config.browserSessionMaxAge : state.config.maxAge) * 1000;
      checkSessionData(data, operation);
      // Field by field rather than a spread of `base`: one object shape, and no delete.
      // Never past the absolute cap: the instant the summary shows is the one the session really ends at.
      const next: SessionRecord<T> = {
        version: base.version + 1,
        data,
        createdAt: base.createdAt,
        updatedAt: now,
        expiresAt: Math.min(now + idleMs, base.absoluteExpiresAt ?? Infinity),
      };
      if (base.absoluteExpiresAt !== undefined) next.absoluteExpiresAt = base.absoluteExpiresAt;
      if (userId !== undefined) next.userId = userId;
      // The label goes with the binding: kept while the user stays, dropped with it, replaced when given.
      const label = userId === undefined ? undefined : newLabel === undefined && userId === base.userId ? base.label : newLabel;
      if (typeof label === 'string') next.label = label;
      if (persistent === false) next.persistent = false;
      // So does the authentication instant: a new user (or none) drops the old one.
      const authenticated = userId === undefined ? undefined : (authAt ?? (userId === base.userId ? base.authAt : undefined));
      if (authenticated !== undefined) next.authAt = authenticated;
      const users =
        base.userId === undefined && userId === undefined && !renameTo
          ? undefined
          : await userChange(state, base, next, renameTo !== undefined);
      const value = serializeRecord(next);
      const expected = base.version;
      const options = renameTo || users ? { renameTo: renameTo?.key, users } : undefined;
      if (attempt > 0) store.telemetry?.writeRetried(store.backend);
      let result = storeStep(state, operation, (deadline) =>
        store.compareAndSet(key, expected, value, remainingMs(next, now), options, deadline),
      );
      if (result instanceof Promise) result = await result;
      if (result.status === 'ok') {
        if (!renameTo && store.locks.size(key) > 1) handoff.set(key, next);
        rememberRecord(store, renameTo?.key ?? key, value, next);
        if (renameTo) forgetRecord(store, key);
        // "Remember me" changed: the cookie gains or loses its Max-Age.
        const due = cookieDue(state, base, now, renameTo) || base.persistent !== next.persistent;
        state.record = next;
        state.data = next.data;
        if (renameTo) Object.assign(state, renameTo);
        // Most writes (a change of data, a touch) are no event at all: they cost nothing here.
        const eventful = renameTo !== undefined || base.userId !== next.userId || result.evicted !== undefined;
        if (eventful && isHeard(store.events)) await reportWrite(store, key, renameTo?.key ?? key, base, next, result.evicted);
        return due;
      }
      if (result.status === 'moved') throw movedSessionError(state, operation);
      if (result.status === 'full') throw tooManySessionsError(state, operation);
      base = result.status === 'conflict' ? parseCached<T>(store, key, result.current) : null;
    }
  } finally {
    if (store.locks.size(key) <= 1) handoff.delete(key);
  }
  if (base && !isExpired(base, Date.now(), state.config)) {
    const message = `${operation}: gave up after ${MAX_ATTEMPTS} conflicting writes on one session.`;
    throw new SessionError('STORAGE_ERROR', message, { backend: store.backend });
  }
  resetState(state);
  const message = `${operation}: the session no longer exists in the store (expired, destroyed or revoked).`;
  throw new SessionError('EXPIRED_SESSION', withUpstreamPhrase(operation, message));
}

/** What a bind refused under the 'deny-new' policy throws: nothing was written, the session is unchanged. */
function tooManySessionsError(state: SessionState<any>, operation: string): SessionError {
  const { maxSessionsPerUser } = state.config;
  const message =
    `${operation}: the user already has ${maxSessionsPerUser} sessions (config.maxSessionsPerUser, policy 'deny-new'). ` +
    'Sign out elsewhere first (listUserSessions / revokeUserSession), or choose the policy ' +
    "'evict-oldest'.";
  return new SessionError('TOO_MANY_SESSIONS', message, { maxSessionsPerUser });
}

/** The events of a confirmed write: a new ID, a changed binding, sessions the bind evicted. */
async function reportWrite(
  store: SessionBackend,
  oldKey: string,
  newKey: string,
  base: SessionRecord,
  next: SessionRecord,
  evicted: string[] | undefined,
): Promise<void> {
  const at = next.updatedAt;
  const happened: SessionLifecycleEvent[] = [];
  const session = await handleOf(store.memberName(newKey));
  if (newKey !== oldKey) {
    happened.push({ type: 'regenerated', session, previous: await handleOf(store.memberName(oldKey)), userId: next.userId ?? null, at });
  }
  if (base.userId !== next.userId) {
    if (base.userId !== undefined) happened.push({ type: 'unbound', session, userId: base.userId, at });
    if (next.userId !== undefined) happened.push({ type: 'bound', session, userId: next.userId, label: next.label ?? null, at });
  }
  for (const member of evicted ?? []) happened.push({ type: 'evicted', session: await handleOf(member), userId: next.userId ?? null, at });
  if (happened.length) await reportSessionEvents(store.events, happened);
}

/** A write re-sends an unchanged cookie about once per this period: 60 s, less for short sessions. @see cookieDue */
function cookieRefreshMs(config: ResolvedSessionConfig<any>): number {
  return Math.min(60_000, config.maxAge * 10, config.touchAfter * 1000);
}

/**
 * Whether a write at `now` re-sends the cookie, to slide its Max-Age with the record's expiry. Always when the
 * ID changes or the request's cookie is not the one a write would set (an older secret signed it); otherwise
 * only the first write of each cookieRefreshMs period (the previous write, `base`'s, fell in an earlier one).
 * Writes that come that often then skip a 150-byte header, and the cookie expires less than a period early.
 */
function cookieDue(state: SessionState<any>, base: SessionRecord, now: number, renameTo: SessionKey | undefined): boolean {
  if (renameTo || state.signed?.id !== state.id) return true;
  const period = cookieRefreshMs(state.config);
  return !(period > 0) || Math.floor(now / period) !== Math.floor(base.updatedAt / period);
}

/**
 * The user index sets a write changes: a bound session's (its expiry moves), and the old user's when it changes.
 * A bind counts the session as created when this request loaded it, if that is earlier than its record says: a
 * login whose password check ran before a revocation of the user's sessions must not bind after it, even when
 * its session record is created (or regenerated) later.
 */
async function userChange(
  state: SessionState<any>,
  base: SessionRecord,
  next: SessionRecord,
  renamed: boolean,
): Promise<UserSetChange | undefined> {
  const { prefix } = state.config;
  const { hashTags } = state.store;
  // A bound session's every write re-scores it in its user's index by its new expiry (the index is trimmed by it).
  if (base.userId === next.userId && !renamed) {
    const set = await recordUserSet(prefix, next, hashTags);
    return set
      ? { add: set, remove: set, limit: { max: state.config.maxSessionsPerUser, policy: state.config.sessionLimitPolicy } }
      : undefined;
  }
  const [add, remove] = await Promise.all([recordUserSet(prefix, next, hashTags), recordUserSet(prefix, base, hashTags)]);
  if (!add && !remove) return undefined;
  const bindCreatedAt = Math.min(next.createdAt, state.loadedAt);
  const limit = { max: state.config.maxSessionsPerUser, policy: state.config.sessionLimitPolicy };
  return add && base.userId !== next.userId ? { add, remove, bindCreatedAt, limit } : { add, remove, limit };
}

/**
 * What a write throws when the request's cookie names a session that another request moved to a new ID (a login
 * or regenerateSession; see MOVED_MARK_MS). Nothing is written, and the request continues as an anonymous one that
 * must not store a session of its own: its cookie would replace the browser's new one.
 */
export function movedSessionError(state: SessionState<any>, operation: string): SessionError {
  resetState(state);
  state.moved = true;
  const message =
    `${operation}: this request carried the session's old cookie, and another request (a login, regenerateSession) ` +
    'moved the session to a new ID meanwhile. Nothing was written; the browser keeps the new cookie.';
  return new SessionError('EXPIRED_SESSION', withUpstreamPhrase(operation, message), { moved: true });
}
