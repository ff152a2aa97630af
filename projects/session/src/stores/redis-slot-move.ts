// Redis Cluster: a compare-and-set that renames a session into another slot (binding it to a user moves it
// into the user's slot) cannot be one script. It runs as an ordered sequence whose every intermediate state
// is safe, new key first:
//   1. PLACE, in the new slot: write the new record and add it to its user's index.
//   2. TAKE, in the old slot: if the old record still has the expected version, delete it (and drop it from
//      its old user's index). This is the step where the move happens: from here the old cookie is dead.
//   3. On a conflict or a missing record at 2, UNPLACE: delete the new record again; the caller retries.
// A crash between 1 and 2 leaves the old session valid and an extra copy no cookie points to, in its user's
// index (so revocation ends it) and expiring with its TTL. A revocation between 1 and 2 deletes the copy: the
// move then completes into nothing, and the revoked session never comes back. PLACE and TAKE carry the
// write's deadline: one refused past it leaves the state of a crash before it (a refused TAKE: the old session
// valid and the copy, which UNPLACE does not get to delete).
import type { SessionLimit, WriteResult } from '../core/backend';
import { MOVED_MARK_HEAD, MOVED_MARK_MS } from '../core/record';

/**
 * The two scripts of a move, given the store's Lua: `version(raw)`, the index functions, and the deadline check
 * every write script starts with (it takes the deadline out of ARGV: the ARGV below follow it).
 */
export function slotMoveScripts(versionLua: string, indexLua: string, deadlineLua: string): { place: string; take: string } {
  return {
    // KEYS: the new record, then its user index when it has one, then, when binding, the index's revocation
    // time. ARGV: deadline; value, ttl ms, sessions per user (negative: 'deny-new'), then, when binding, the
    // record's createdAt: a revocation at or after it refuses the bind ({0}, nothing written), and so does a full
    // index under 'deny-new' ({4}). Placed: {1} followed by the members the bind evicted.
    place: `${indexLua}
${deadlineLua}
local cap, deny = limitOf(ARGV[3])
if KEYS[3] then
  local revokedAt = redis.call('GET', KEYS[3])
  if revokedAt and tonumber(revokedAt) >= tonumber(ARGV[4]) then return {0} end
  if deny and isFull(KEYS[2], cap, KEYS[1]) then return {4} end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local reply = {1}
if KEYS[2] then
  for _, old in ipairs(indexAdd(KEYS[2], KEYS[1], ARGV[2], deny and math.huge or cap)) do reply[#reply + 1] = old end
end
return reply`,
    // KEYS: the old record, then the index it leaves when it has one. ARGV: deadline; expected version.
    take: `${versionLua}
${indexLua}
${deadlineLua}
local cur = redis.call('GET', KEYS[1])
if not cur then return {0} end
if string.sub(cur, 1, ${MOVED_MARK_HEAD.length}) == '${MOVED_MARK_HEAD}' then return {3} end
if version(cur) ~= ARGV[1] then return {1, cur} end
redis.call('SET', KEYS[1], '${MOVED_MARK_HEAD}' .. nowMs() .. '}', 'PX', ${MOVED_MARK_MS})
if KEYS[2] then indexRemove(KEYS[2], KEYS[1]) end
return {2}`,
  };
}

/** The Redis Cluster hash tag of a key (the part hashed for its slot), as Redis finds it. */
export function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  if (open < 0) return key;
  const close = key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

/** The script calls a cross-slot move needs, with Redis keys already resolved. */
export interface SlotMoveCalls {
  place(keys: string[], value: string, ttlMs: number, limit: SessionLimit | undefined, bindCreatedAt?: number): Promise<unknown>;
  take(keys: string[], expectedVersion: number): Promise<unknown>;
  unplace(keys: string[]): Promise<unknown>;
  result(reply: unknown): WriteResult;
}

/** Moves a record from `from` to `to` (different slots) as PLACE, TAKE and, when TAKE refuses, UNPLACE. */
export async function moveAcrossSlots(
  calls: SlotMoveCalls,
  from: { key: string; index?: string },
  to: { key: string; index?: string; revoked?: string; bindCreatedAt?: number; limit?: SessionLimit },
  expectedVersion: number,
  value: string,
  ttlMs: number,
): Promise<WriteResult> {
  const placed = to.index ? [to.key, to.index] : [to.key];
  const binding = to.index !== undefined && to.revoked !== undefined && to.bindCreatedAt !== undefined;
  const keys = binding ? [...placed, to.revoked!] : placed;
  const [placedCode, ...evicted] = (await calls.place(keys, value, ttlMs, to.limit, binding ? to.bindCreatedAt : undefined)) as unknown[];
  // Refused: the user's sessions were revoked after this one was created (the old record stays, unbound), or the
  // user has as many sessions as the 'deny-new' policy allows.
  if (Number(placedCode) === 4) return { status: 'full' };
  if (Number(placedCode) !== 1) return { status: 'missing' };
  // If TAKE fails, whether the old record went is unknown: the copy stays (its TTL or a revocation ends it).
  const outcome = calls.result(await calls.take(from.index ? [from.key, from.index] : [from.key], expectedVersion));
  if (outcome.status !== 'ok') await calls.unplace(placed);
  return outcome.status === 'ok' && evicted.length ? { status: 'ok', evicted: evicted.map(String) } : outcome;
}
