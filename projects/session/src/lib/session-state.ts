// Per-request session state and the writes every public operation shares.
import type { H3Event } from 'h3';
import { deleteCookie, setCookie } from 'h3';
import { signCookie } from './cookie-signature';
import { createKeyedMutex, type KeyedMutex } from './keyed-mutex';
import type { ResolvedSessionConfig, SessionData } from './session-config';
import { generateSessionId, getCryptoBackend } from './session-crypto';
import { SessionError } from './session-error';
import { markSessionResponse } from './session-cache-control';
import { prerenderWriteError } from './prerender-session';
import { isExpired, parseRecord, serializeRecord, type SessionRecord } from './session-record';
import { withStoreTimeout, type SessionStore, type UserSetChange, type WriteResult } from './session-store';

/** Where a request's session state lives on `event.context` (a string, so duplicated bundles share it). */
export const SESSION_CONTEXT_KEY = '@analog-tools/session';

/** What one request knows about its session. */
export interface SessionState<T extends SessionData = SessionData> {
  config: ResolvedSessionConfig<T>;
  store: SessionStore;
  /** The session ID, or null while the session exists only in this request. */
  id: string | null;
  /** The store key of `id`: prefix + SHA-256 of the ID. */
  key: string | null;
  /** The record as last read or written by this request. */
  record: SessionRecord<T> | null;
  /** What getSession() returns. */
  data: T;
  /** The request carried a session cookie (valid or not). */
  hadCookie: boolean;
  /** Serializes this request's own writes. */
  queue: Promise<unknown>;
  /** The signed cookie value of `id` under the first secret, once known: writes then skip the HMAC. */
  signed?: { id: string; value: string };
  /** The route Nitro is prerendering with this request: the session is anonymous and refuses writes. */
  prerender?: string;
}

/** The state useSession() attached to this event, if any. */
export function getSessionState<T extends SessionData = SessionData>(event: H3Event): SessionState<T> | undefined {
  return event.context[SESSION_CONTEXT_KEY] as SessionState<T> | undefined;
}

/** The state, or a `SessionError` `INVALID_SESSION` naming the caller. */
export function requireSessionState<T extends SessionData = SessionData>(event: H3Event, caller: string): SessionState<T> {
  const state = getSessionState<T>(event);
  if (!state) {
    throw new SessionError('INVALID_SESSION', `${caller}: no active session on this request. Call useSession(event, config) first, or install defineSessionMiddleware(config).`);
  }
  if (state.prerender !== undefined) throw prerenderWriteError(caller, state.prerender);
  return state;
}

/** Runs `task` after the request's earlier writes, so two writes of one request never interleave. */
export function enqueue<R>(state: SessionState<any>, task: () => Promise<R>): Promise<R> {
  const run = state.queue.then(task, task);
  state.queue = run.catch(() => undefined);
  return run;
}

/** Store key of a session ID: the store never holds a usable ID. */
export async function storeKey(prefix: string, id: string): Promise<string> {
  return `${prefix}${await getCryptoBackend().sha256Hex(id)}`;
}

/** Store key of a user's index of sessions. */
export async function userSetKey(prefix: string, userId: string): Promise<string> {
  return `${prefix}user:${await getCryptoBackend().sha256Hex(`user:${userId}`)}`;
}

/** Runs a store operation under the config's timeout, turning every failure into `STORAGE_ERROR`. */
export function storeCall<R>(state: SessionState<any>, operation: string, work: () => Promise<R>): Promise<R> {
  return withStoreTimeout(state.store.backend, operation, state.config.timeout, work);
}

function remainingMs(record: SessionRecord, now: number): number {
  return Math.min(record.expiresAt, record.absoluteExpiresAt ?? Infinity) - now;
}

/** Sets the signed session cookie with a Max-Age matching the record's remaining life. */
export async function writeCookie(event: H3Event, state: SessionState<any>): Promise<void> {
  const { id, record, config } = state;
  if (!id || !record) return;
  try {
    if (state.signed?.id !== id) state.signed = { id, value: await signCookie(id, config.secrets[0]) };
    const { value } = state.signed;
    markSessionResponse(event, config);
    setCookie(event, config.name, value, { ...config.cookie, maxAge: Math.max(1, Math.ceil(remainingMs(record, Date.now()) / 1000)) });
  } catch (error) {
    throw new SessionError('COOKIE_ERROR', `could not set the session cookie '${config.name}': ${error instanceof Error ? error.message : String(error)}`, undefined, { cause: error });
  }
}

/** Expires the session cookie with the attributes it was set with, so the browser really drops it. */
export function clearCookie(event: H3Event, state: SessionState<any>): void {
  try {
    deleteCookie(event, state.config.name, { ...state.config.cookie });
  } catch (error) {
    throw new SessionError('COOKIE_ERROR', `could not clear the session cookie '${state.config.name}': ${error instanceof Error ? error.message : String(error)}`, undefined, { cause: error });
  }
}

/** A new record for data created now. */
export function newRecord<T extends SessionData>(config: ResolvedSessionConfig<T>, data: T, now: number, userId?: string): SessionRecord<T> {
  return {
    version: 1,
    data,
    createdAt: now,
    updatedAt: now,
    expiresAt: now + config.maxAge * 1000,
    ...(config.absoluteTimeout ? { absoluteExpiresAt: now + config.absoluteTimeout * 1000 } : {}),
    ...(userId === undefined ? {} : { userId }),
  };
}

/** Forgets the stored session in this request: it continues as a new, unsaved one. */
export function resetState<T extends SessionData>(state: SessionState<T>): void {
  state.id = null;
  state.key = null;
  state.record = null;
  state.data = state.config.generate();
}

/** Gives the request a brand-new session ID and persists `data` under it. */
export async function persistNew<T extends SessionData>(event: H3Event, state: SessionState<T>, data: T): Promise<void> {
  const id = generateSessionId();
  const key = await storeKey(state.config.prefix, id);
  const record = newRecord(state.config, data, Date.now());
  await storeCall(state, 'create', () => state.store.create(key, serializeRecord(record), remainingMs(record, record.createdAt)));
  Object.assign(state, { id, key, record, data: record.data });
  await writeCookie(event, state);
}

interface Coordination {
  locks: KeyedMutex;
  /** The newest record this process wrote for a key while other writers of it were queued. */
  latest: Map<string, SessionRecord<any>>;
}
const coordination = new WeakMap<SessionStore, Coordination>();
function coordinate(store: SessionStore): Coordination {
  let c = coordination.get(store);
  if (!c) coordination.set(store, (c = { locks: createKeyedMutex(), latest: new Map() }));
  return c;
}

/** Attempts before a write gives up under contention from other instances. */
const MAX_ATTEMPTS = 100;

/** What a {@link mutateStored} step produces from the freshest record. */
export interface Mutation<T extends SessionData> {
  data: T;
  userId?: string;
}

/**
 * Applies `change` to the freshest stored copy of the session and writes it with a compare-and-set,
 * re-running `change` on the newer copy when another writer got there first. Writers of one session in this
 * process queue up instead of racing, and each starts from the record its predecessor wrote.
 * Throws `EXPIRED_SESSION` (and resets the request's session) when the record is gone.
 */
export async function mutateStored<T extends SessionData>(
  event: H3Event,
  state: SessionState<T>,
  operation: string,
  change: (current: SessionRecord<T>) => Mutation<T>,
  write: (base: SessionRecord<T>, next: SessionRecord<T>, ttlMs: number, users: UserSetChange | undefined) => Promise<WriteResult> = (
    base,
    next,
    ttlMs,
    users,
  ) => state.store.replace(state.key!, base.version, serializeRecord(next), ttlMs, users),
  onWritten?: () => void,
): Promise<void> {
  const key = state.key!;
  const { locks, latest } = coordinate(state.store);
  await locks.run(key, async () => {
    const known = latest.get(key);
    let base: SessionRecord<T> | null = known && known.version > state.record!.version ? known : state.record;
    try {
      for (let attempt = 0; attempt < MAX_ATTEMPTS && base; attempt++) {
        const now = Date.now();
        if (isExpired(base, now)) break;
        const { data, userId } = change(base);
        const { userId: _previousUser, ...kept } = base;
        const next: SessionRecord<T> = {
          ...kept,
          version: base.version + 1,
          data,
          updatedAt: now,
          expiresAt: now + state.config.maxAge * 1000,
          ...(userId === undefined ? {} : { userId }),
        };
        const users = await userChange(state.config.prefix, base, next);
        const result = await storeCall(state, operation, async () => write(base!, next, remainingMs(next, now), users));
        if (result.status === 'ok') {
          state.record = next;
          state.data = next.data;
          if (locks.size(key) > 1) latest.set(key, next);
          onWritten?.();
          // Every write slides the expiry, so the cookie's Max-Age follows.
          await writeCookie(event, state);
          return;
        }
        base = result.status === 'conflict' ? parseRecord<T>(result.current) : null;
      }
      if (base && !isExpired(base, Date.now())) {
        throw new SessionError('STORAGE_ERROR', `${operation}: gave up after ${MAX_ATTEMPTS} conflicting writes on one session.`, { backend: state.store.backend });
      }
    } finally {
      if (locks.size(key) <= 1) latest.delete(key);
    }
    resetState(state);
    clearCookie(event, state);
    throw new SessionError('EXPIRED_SESSION', `${operation}: the session no longer exists in the store (expired, destroyed or revoked).`);
  });
}

/** The per-user index sets a write must move the session between, when its user changes. */
async function userChange(prefix: string, base: SessionRecord, next: SessionRecord): Promise<UserSetChange | undefined> {
  if (base.userId === next.userId) return undefined;
  return { add: await recordUserSet(prefix, next), remove: await recordUserSet(prefix, base) };
}

/** The user-set key of a record's user, if it has one. */
export async function recordUserSet(prefix: string, record: SessionRecord | null): Promise<string | undefined> {
  return record?.userId === undefined ? undefined : userSetKey(prefix, record.userId);
}
