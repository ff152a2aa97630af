/** The shape of session data: any JSON-serializable object. */
export type SessionData = Record<string, any>;

/** What the store holds for one session. The ID itself is never stored: records are keyed by its hash. */
export interface SessionRecord<T extends SessionData = SessionData> {
  /** Increases by one on every write; the compare-and-set that prevents lost updates checks it. */
  version: number;
  data: T;
  /** When the session started (ms since epoch). Kept across regeneration. */
  createdAt: number;
  /** Last write (ms since epoch). Reads re-write only when it is older than `touchAfter`. */
  updatedAt: number;
  /** Idle expiry (ms since epoch). */
  expiresAt: number;
  /** Absolute expiry (ms since epoch), when `absoluteTimeout` is set. */
  absoluteExpiresAt?: number;
  /** The user this session is bound to, see `setSessionUser`. */
  userId?: string;
  /** The app's name for this session among its user's (e.g. the device), see `setSessionUser`; only with `userId`. */
  label?: string;
  /**
   * `false`: a session not remembered ("remember me" unticked, see `setSessionUser`): a cookie without Max-Age and
   * the shorter idle lifetime `browserSessionMaxAge`; only with `userId`. Absent: remembered.
   */
  persistent?: false;
  /**
   * When the user last authenticated in this session (ms since epoch): the last `setSessionUser` to a user. Only with
   * `userId`; kept by regeneration; what `requireFreshSession` judges.
   */
  authAt?: number;
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether `key` could pollute prototypes if copied onto an object. */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/** JSON reviver that drops prototype-polluting keys at every depth. */
function safeReviver(key: string, value: unknown): unknown {
  return FORBIDDEN_KEYS.has(key) ? undefined : value;
}

/**
 * JSON.parse, with the (several times slower) reviver only when the text could hold a forbidden key:
 * spelled out, or hidden behind a \u escape.
 */
function safeParse(text: string): unknown {
  const suspicious = text.includes('__proto__') || text.includes('constructor') || text.includes('prototype') || text.includes('\\u');
  return suspicious ? JSON.parse(text, safeReviver) : JSON.parse(text);
}

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);

/** Serializes a record with `version` first, so the Redis script can read it without decoding the rest. */
export function serializeRecord(record: SessionRecord): string {
  const ordered: SessionRecord = {
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    expiresAt: record.expiresAt,
    ...(record.absoluteExpiresAt === undefined ? {} : { absoluteExpiresAt: record.absoluteExpiresAt }),
    ...(record.userId === undefined ? {} : { userId: record.userId }),
    ...(record.label === undefined ? {} : { label: record.label }),
    ...(record.persistent === false ? { persistent: false as const } : {}),
    ...(record.authAt === undefined ? {} : { authAt: record.authAt }),
    data: record.data,
  };
  return JSON.stringify(ordered);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Copies a parsed value, dropping prototype-polluting keys at every depth. */
export function sanitize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sanitize);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (!FORBIDDEN_KEYS.has(key)) copy[key] = sanitize((value as Record<string, unknown>)[key]);
  }
  return copy;
}

/**
 * Turns what a driver returned into a record, or `null` when it is missing, corrupt or of the wrong shape.
 * Strings and bytes (Uint8Array, or an ArrayBuffer: the http driver's raw reads) are parsed here; objects (from
 * drivers that parse JSON themselves) are deep-copied.
 * Either way no `__proto__` / `constructor` / `prototype` key survives.
 */
export function parseRecord<T extends SessionData = SessionData>(raw: unknown): SessionRecord<T> | null {
  if (raw === null || raw === undefined) return null;
  let value: unknown;
  try {
    if (typeof raw === 'string') value = safeParse(raw);
    else if (raw instanceof Uint8Array || raw instanceof ArrayBuffer) value = safeParse(new TextDecoder().decode(raw));
    else value = sanitize(raw);
  } catch {
    return null;
  }
  if (!isPlainObject(value)) return null;
  const { version, data, createdAt, updatedAt, expiresAt, absoluteExpiresAt, userId, label, persistent, authAt } = value;
  if (!Number.isSafeInteger(version) || (version as number) < 1) return null;
  if (!isFiniteNumber(createdAt) || !isFiniteNumber(updatedAt) || !isFiniteNumber(expiresAt)) return null;
  if (absoluteExpiresAt !== undefined && !isFiniteNumber(absoluteExpiresAt)) return null;
  if (userId !== undefined && typeof userId !== 'string') return null;
  if (label !== undefined && typeof label !== 'string') return null;
  if (persistent !== undefined && persistent !== false) return null;
  if (authAt !== undefined && !isFiniteNumber(authAt)) return null;
  if (!isPlainObject(data)) return null;
  return {
    version: version as number,
    data: data as T,
    createdAt,
    updatedAt,
    expiresAt,
    ...(absoluteExpiresAt === undefined ? {} : { absoluteExpiresAt }),
    ...(userId === undefined ? {} : { userId }),
    ...(label === undefined ? {} : { label }),
    ...(persistent === false ? { persistent } : {}),
    ...(authAt === undefined ? {} : { authAt }),
  };
}

const VERSION_PREFIX = '{"version":';

/**
 * A stored record's version without parsing it: read from the prefix serializeRecord() writes, else from the
 * parsed record (another writer's key order, an object from a driver that parses JSON). Null when unreadable.
 */
export function recordVersion(raw: unknown): number | null {
  if (typeof raw === 'string' && raw.startsWith(VERSION_PREFIX)) {
    // Up to 15 digits then a comma: what /^\{"version":(\d{1,15}),/ matches, without a match array.
    const start = VERSION_PREFIX.length;
    let version = 0;
    let at = start;
    for (; at < raw.length && at < start + 16; at++) {
      const digit = raw.charCodeAt(at) - 48;
      if (digit < 0 || digit > 9) break;
      version = version * 10 + digit;
    }
    if (at > start && at <= start + 15 && raw.charCodeAt(at) === 44) return version;
  }
  return parseRecord(raw)?.version ?? null;
}

/** When the record expires (ms since epoch): at its idle or its absolute expiry, whichever comes first. */
export function recordExpiresAt(record: SessionRecord): number {
  return Math.min(record.expiresAt, record.absoluteExpiresAt ?? Infinity);
}

/** Milliseconds until the record's idle or absolute expiry, whichever comes first. */
export function remainingMs(record: SessionRecord, now: number): number {
  return recordExpiresAt(record) - now;
}

/** The lifetimes of the current config, in seconds. */
export interface ExpiryLimits {
  maxAge: number;
  absoluteTimeout?: number | undefined;
}

/**
 * Whether the record has passed its idle or absolute expiry at `now`: the ones stamped into it and, given
 * `limits`, the current config's too, so that lowering `maxAge` or adding `absoluteTimeout` reaches sessions
 * written under the looser config.
 */
export function isExpired(record: SessionRecord, now: number, limits?: ExpiryLimits): boolean {
  if (record.expiresAt <= now || (record.absoluteExpiresAt !== undefined && record.absoluteExpiresAt <= now)) return true;
  if (!limits) return false;
  const absolute = limits.absoluteTimeout === undefined ? Infinity : record.createdAt + limits.absoluteTimeout * 1000;
  return record.updatedAt + limits.maxAge * 1000 <= now || absolute <= now;
}

/** Which of its expiries a record passed at `now` (see isExpired): the absolute one takes precedence. */
export function expiryCause(record: SessionRecord, now: number, limits?: ExpiryLimits): 'idle' | 'absolute' {
  if (record.absoluteExpiresAt !== undefined && record.absoluteExpiresAt <= now) return 'absolute';
  if (limits?.absoluteTimeout !== undefined && record.createdAt + limits.absoluteTimeout * 1000 <= now) return 'absolute';
  return 'idle';
}

/** A stored text with its parse. Never changed once built, so it stays true wherever it is kept. */
export interface CachedRecord {
  /** The exact text the store holds; a hit needs the store's text to equal it, so any change is a miss. */
  readonly raw: string;
  /** Never handed out: every hit gets a fresh record and a deep copy of its data. */
  readonly record: SessionRecord<any>;
}

/**
 * How long the old key of a regenerated session keeps a "moved" mark: a request still carrying the old cookie
 * (sent before the new one arrived) then knows the session moved, rather than that it expired, and must neither
 * start a fresh session nor clear the browser's cookie, which by then is the new one. The mark never names the
 * new ID, so the old cookie cannot reach the new session (no fixation).
 */
export const MOVED_MARK_MS = 60_000;

/** The start of a moved mark; records always start with `{"version":`, so the two never meet. */
export const MOVED_MARK_HEAD = '{"movedAt":';

/** The value left under the old key of a regenerated session. */
export function movedMark(at: number): string {
  return `${MOVED_MARK_HEAD}${at}}`;
}

/** When a stored value is a moved mark, the time it was left (ms since epoch); else undefined. */
export function movedMarkTime(raw: unknown): number | undefined {
  const text = raw instanceof Uint8Array || raw instanceof ArrayBuffer ? new TextDecoder().decode(raw) : raw;
  if (typeof text !== 'string' || !text.startsWith(MOVED_MARK_HEAD)) return undefined;
  const at = Number(text.slice(MOVED_MARK_HEAD.length, -1));
  return Number.isFinite(at) ? at : undefined;
}
