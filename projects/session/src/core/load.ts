// Reading a session from the store for the cookie values a request presented: the signature check (remembered
// per config), the record read and the expiry check. Nothing here knows what an event looks like.
import { SIGNED_COOKIE_LENGTH, SIGNED_COOKIE_SHAPE, unsignCookie } from './cookie-signature';
import { recordUserSet, storeKey } from './keys';
import { expiryCause, isExpired, movedMarkTime, MOVED_MARK_MS, type SessionData, type SessionRecord } from './record';
import { handleOf, isHeard, reportSessionEvents } from './session-events';
import { parseCached } from './record-cache';
import { storeCall, storeStep, type SessionState } from './state';
import type { VerifiedCookie } from './verified-cookies';

/**
 * The verified ID and key of a cookie value not verified before, remembered under `sent` (the value as sent);
 * undefined when its signature does not verify. `cookie`: the decoded value.
 */
export async function verifyCookie(state: SessionState<any>, sent: string, cookie: string): Promise<VerifiedCookie | undefined> {
  if (!SIGNED_COOKIE_SHAPE.test(cookie)) {
    state.store.telemetry?.cookieRejected(cookie.length > SIGNED_COOKIE_LENGTH ? 'oversized' : 'malformed');
    return undefined;
  }
  const [primary, ...older] = state.config.secrets;
  let id = await unsignCookie(cookie, primary);
  const current = id !== null;
  id ??= older.length ? await unsignCookie(cookie, older) : null;
  if (!id) {
    state.store.telemetry?.cookieRejected('tampered');
    return undefined;
  }
  const key = await storeKey(state.config.prefix, id, state.store.hashTags);
  const verified: VerifiedCookie = { sent, id, key, current, value: cookie };
  // Only the spelling this library sets: other percent-encodings of one cookie would each take a slot of the cache.
  if (sent === encodeURIComponent(cookie)) state.config.verifiedCookies.set(verified);
  return verified;
}

/** Takes the raw record of a verified cookie into `state`; false when it is missing or expired at `now`. */
export function acceptRecord(state: SessionState<any>, verified: VerifiedCookie, raw: unknown, now: number): boolean {
  const record = liveRecord(state, verified, raw, now);
  if (!record) return false;
  takeRecord(state, verified, record);
  return true;
}

/** Makes a verified cookie's live record the request's session. */
export function takeRecord<T extends SessionData>(state: SessionState<T>, verified: VerifiedCookie, record: SessionRecord<T>): void {
  state.id = verified.id;
  state.key = verified.key;
  state.record = record;
  state.data = record.data;
  // A cookie signed with the current secret is exactly what a write would set again.
  if (verified.current) state.signed = verified;
}

/**
 * The record of a verified cookie when it exists and is live at `now`; an expired one is deleted. A moved mark
 * (the session was regenerated away from this cookie, recently) marks the request's state `moved`.
 */
export function liveRecord<T extends SessionData>(
  state: SessionState<T>,
  verified: VerifiedCookie,
  raw: unknown,
  now: number,
): SessionRecord<T> | null {
  const record = parseCached<T>(state.store, verified.key, raw);
  if (record && !isExpired(record, now, state.config)) return record;
  if (record) {
    state.store.telemetry?.cookieRejected('expired');
    // Expired: delete it now rather than wait for a sweep; the request does not depend on it.
    removeExpired(state, verified.key, record, now).catch(() => undefined);
    return null;
  }
  const movedAt = movedMarkTime(raw);
  const moved = movedAt !== undefined && now - movedAt < MOVED_MARK_MS;
  if (moved) state.moved = true;
  state.store.telemetry?.cookieRejected(moved ? 'moved' : 'unknown');
  return null;
}

/**
 * Deletes an expired record a read found, in the background of the request; the one deletion that succeeds (of
 * concurrent readers, on any instance) reports `expired`.
 */
async function removeExpired(state: SessionState<any>, key: string, record: SessionRecord, now: number): Promise<void> {
  const { store, config } = state;
  const userSet = await recordUserSet(config.prefix, record, store.hashTags);
  const removed = await storeCall(state, 'useSession()', (deadline) => store.removeIfVersion(key, record.version, userSet, deadline));
  if (!removed || !isHeard(store.events)) return;
  const session = await handleOf(store.memberName(key));
  const cause = expiryCause(record, now, config);
  await reportSessionEvents(store.events, [{ type: 'expired', session, userId: record.userId ?? null, cause, foundBy: 'read', at: now }]);
}

/** Reads a raw record; a synchronous answer skips the timeout machinery and its promise. Pending: a Promise. */
export function readRecord(state: SessionState<any>, key: string): unknown {
  return storeStep(state, 'useSession()', () => state.store.get(key));
}
