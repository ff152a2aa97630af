// Lazy migration from the published @analog-tools/session 0.0.3–0.0.24. Those releases stored the plain
// session data under the raw session ID (0.0.6–0.0.24: the key is the ID itself; 0.0.3–0.0.5: `<prefix>:<ID>`,
// prefix 'sess' by default) and signed the cookie `s:<ID>.<signature>` with a standard-base64 HMAC-SHA256,
// the ID being a UUID (0.0.3–0.0.5, 0.0.22–0.0.24) or a 21-character nanoid (0.0.6–0.0.21). A request
// carrying such a cookie, validly signed by one of our secrets, with its record still in the store, gets
// the data moved once into our format under a new ID and a hashed key; the old key is deleted, and the caller
// sets our cookie.
import type { LegacySessionOptions } from './config';
import { getCryptoBackend } from './crypto';
import { recordUserSet, userSlotTag } from './keys';
import { parseRecord, remainingMs, serializeRecord, type SessionRecord } from './record';
import { storeCall, type SessionState } from './state';
import { newRecord, newSessionKey } from './write';
import { handleOf, reportSessionEvents, type SessionLifecycleEvent } from './session-events';

/** Key prefixes probed for a legacy session when none are configured. */
export const DEFAULT_LEGACY_PREFIXES: readonly string[] = ['', 'sess:'];

/** IDs the releases generated: a UUID or a 21-character nanoid. Anything else is never looked up. */
const LEGACY_COOKIE = /^s:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9_-]{21})\.([A-Za-z0-9+/]{43})$/;

/** How long a replayed legacy cookie (parallel requests sent before the new cookie arrived) maps to its adoption. */
const ADOPTION_MEMORY_MS = 60_000;

/** The legacy session ID a cookie carries, when it is signed (standard base64, unpadded) by one of `secrets`. */
export async function verifyLegacyCookie(cookie: string, secrets: readonly string[]): Promise<string | null> {
  const match = LEGACY_COOKIE.exec(cookie);
  if (!match) return null;
  const [, id, signature] = match;
  const backend = getCryptoBackend();
  for (const secret of secrets) {
    const expected = (await backend.hmac(secret, id)).replace(/-/g, '+').replace(/_/g, '/');
    if (backend.equal(expected, signature)) return id;
  }
  return null;
}

/** The plain data object a release stored, or `null` when the value is missing or not an object. */
export function parseLegacyData(raw: unknown): Record<string, unknown> | null {
  if (raw === null || raw === undefined) return null;
  let value: unknown = raw;
  try {
    if (typeof raw === 'string') value = JSON.parse(raw);
    else if (raw instanceof Uint8Array || raw instanceof ArrayBuffer) value = JSON.parse(new TextDecoder().decode(raw));
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  // The record parser's copy drops `__proto__` / `constructor` / `prototype` keys at every depth.
  const record = parseRecord({ version: 1, createdAt: 0, updatedAt: 0, expiresAt: 0, data: value });
  return record ? record.data : null;
}

/**
 * Adopts the legacy session a cookie names, filling `state` as if our own cookie had been presented (the caller
 * then sets the new cookie).
 * Returns false, touching nothing, when migration is off, the cookie is not a validly signed legacy
 * cookie, or its record is gone: the request then continues with a fresh session, as for any unknown cookie.
 *
 * @throws SessionError `STORAGE_ERROR` when the store fails.
 */
export async function adoptLegacySession(
  state: SessionState<any>,
  cookie: string,
  options: boolean | LegacySessionOptions | undefined,
): Promise<boolean> {
  if (options === false) return false;
  const legacyId = await verifyLegacyCookie(cookie, state.config.secrets);
  if (!legacyId) return false;
  const prefixes = (typeof options === 'object' && options.prefixes) || DEFAULT_LEGACY_PREFIXES;
  const { locks, done } = state.store.adoptions;
  const adopted = await locks.run(legacyId, async () => {
    const now = Date.now();
    const earlier = done.get(legacyId);
    if (earlier && earlier.until > now) {
      const record = parseRecord(await storeCall(state, 'useSession()', async () => state.store.get(earlier.key)));
      return record ? { id: earlier.id, key: earlier.key, record } : null;
    }
    for (const prefix of prefixes) {
      const legacyKey = `${prefix}${legacyId}`;
      const data = parseLegacyData(await storeCall(state, 'useSession()', async () => state.store.get(legacyKey)));
      if (!data) continue;
      const userId = userOfLegacy(options, data);
      // On Redis Cluster a bound session lives in its user's slot, beside the user's index (see setSessionUser).
      const tag = userId !== undefined && state.store.hashTags ? await userSlotTag(userId) : undefined;
      const { id, key } = await newSessionKey(state.config.prefix, state.store.hashTags, tag);
      let record: SessionRecord = newRecord(state.config, data, now);
      const ttlMs = remainingMs(record, now);
      // New record first, old key second: a crash in between leaves a copy, never a lost session.
      await storeCall(state, 'useSession()', (deadline) => state.store.create(key, serializeRecord(record), ttlMs, deadline));
      if (userId !== undefined) {
        const bound = await bindAdopted(state, key, record, userId, ttlMs);
        if (!bound) {
          // The user's sessions were revoked since: this one was among them.
          await storeCall(state, 'useSession()', (deadline) => state.store.remove(legacyKey, undefined, deadline));
          return null;
        }
        record = bound;
      }
      await storeCall(state, 'useSession()', (deadline) => state.store.remove(legacyKey, undefined, deadline));
      await reportAdopted(state, key, record, now);
      for (const [old, entry] of done) if (entry.until <= now) done.delete(old);
      done.set(legacyId, { id, key, until: now + ADOPTION_MEMORY_MS });
      return { id, key, record };
    }
    return null;
  });
  if (!adopted) return false;
  Object.assign(state, { id: adopted.id, key: adopted.key, record: adopted.record, data: adopted.record.data });
  return true;
}

/** An adopted session is a new one to the hooks (`created`, then `bound` when `userOf` named its user). */
async function reportAdopted(state: SessionState<any>, key: string, record: SessionRecord, at: number): Promise<void> {
  const { events } = state.store;
  if (events.hooks.size === 0) return;
  const session = await handleOf(state.store.memberName(key));
  const happened: SessionLifecycleEvent[] = [{ type: 'created', session, userId: null, at }];
  if (record.userId !== undefined) happened.push({ type: 'bound', session, userId: record.userId, label: null, at });
  await reportSessionEvents(events, happened);
}

/** The user `options.userOf` names for a legacy session's data: a non-empty string, else none. */
function userOfLegacy(options: boolean | LegacySessionOptions | undefined, data: Record<string, unknown>): string | undefined {
  const userId = typeof options === 'object' ? options.userOf?.(data) : undefined;
  return typeof userId === 'string' && userId.length > 0 ? userId : undefined;
}

/**
 * Binds a just-adopted record (nobody holds its cookie yet) to `userId`, joining the user's index in the same
 * step. A 0.0.x session's creation time is unknown, so it counts as created at 0, before any revocation: while
 * that user's revocation mark lasts (REVOCATION_WINDOW_MS), the bind is refused and the record deleted (null).
 */
async function bindAdopted(
  state: SessionState<any>,
  key: string,
  record: SessionRecord,
  userId: string,
  ttlMs: number,
): Promise<SessionRecord | null> {
  const bound: SessionRecord = { ...record, version: record.version + 1, userId };
  const add = await recordUserSet(state.config.prefix, bound, state.store.hashTags);
  const users = { add, bindCreatedAt: 0 };
  const result = await storeCall(state, 'useSession()', async (deadline) =>
    state.store.compareAndSet(key, record.version, serializeRecord(bound), ttlMs, { users }, deadline),
  );
  return result.status === 'ok' ? bound : null;
}
