// Redis (and Valkey) through the ioredis client of unstorage's redis driver. Every write that must not be
// lost is one Lua script, so it is atomic across all instances sharing the server: a compare-and-set on
// the record's version (no lost updates, regeneration included), removal and revocation in one step each.
// Every key a script reads or writes by name is passed in KEYS; only the members of a user index set are
// found inside the script (pruning and revocation). Every write script refuses to run past the deadline of the
// store call it serves (see DEADLINE), so a write answered STORAGE_ERROR was not applied and never will be.
import type { Storage } from 'unstorage';
import { joinKeys } from 'unstorage';
import { hashTagOf, moveAcrossSlots, slotMoveScripts } from './redis-slot-move';
import { isPending } from '../core/internal/is-pending';
import { revocationKey } from '../core/keys';
import { MOVED_MARK_HEAD, MOVED_MARK_MS } from '../core/record';
import { prefixRoute, routeOf } from './key-route';
import { createRedisNoticeChannel } from './redis-notices';
import {
  createBackendState,
  REVOCATION_WINDOW_MS,
  DEFAULT_SESSION_LIMIT,
  type SessionLimit,
  type DeletedMember,
  type SessionBackend,
  type UserSetMember,
  type WriteResult,
} from '../core/backend';

/** The part of an ioredis client (or cluster) this store uses. */
export interface RedisLike {
  defineCommand(name: string, definition: { numberOfKeys?: number; lua: string }): void;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: 'PX', ttlMs: number): Promise<unknown>;
  [command: string]: any;
}

/**
 * Reads a record's version: from the prefix serializeRecord() always writes (no decoding), or, for a record
 * written some other way (another key order, whitespace, 1.0), by decoding it. Unreadable: nil.
 */
const VERSION = `local function version(raw)
  local v = string.match(raw, '^{"version":(%d+),')
  if v then return v end
  local ok, record = pcall(cjson.decode, raw)
  if ok and type(record) == 'table' and type(record.version) == 'number' then return string.format('%d', record.version) end
  return nil
end`;

/**
 * A user's index: a sorted set of record keys scored by their expiry (ms, server time). `upgrade` turns the
 * plain set of earlier releases into one (scored by each member's TTL); `indexAdd` trims it by score, adds
 * or re-scores a key, ends the sessions that expire first beyond the cap (record deleted, so they really end)
 * and makes the index expire with its last session. Work per call: O(log n) plus what it trims or evicts.
 */
const INDEX = `local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function upgrade(idx, now)
  if redis.call('TYPE', idx)['ok'] ~= 'set' then return end
  local members = redis.call('SMEMBERS', idx)
  redis.call('DEL', idx)
  for _, member in ipairs(members) do
    local ttl = redis.call('PTTL', member)
    if ttl > 0 then redis.call('ZADD', idx, now + ttl, member) end
  end
end
local function indexAdd(idx, member, ttl, cap)
  local now = nowMs()
  upgrade(idx, now)
  redis.call('ZREMRANGEBYSCORE', idx, '-inf', now)
  redis.call('ZADD', idx, now + tonumber(ttl), member)
  local evicted = {}
  local over = redis.call('ZCARD', idx) - cap
  if over > 0 then
    for _, old in ipairs(redis.call('ZRANGE', idx, 0, over)) do
      if over > 0 and old ~= member then
        if redis.call('UNLINK', old) == 1 then evicted[#evicted + 1] = old end
        redis.call('ZREM', idx, old)
        over = over - 1
      end
    end
  end
  local last = redis.call('ZRANGE', idx, -1, -1, 'WITHSCORES')
  redis.call('PEXPIREAT', idx, last[2])
  return evicted
end
local function limitOf(arg)
  local cap = tonumber(arg)
  if cap < 0 then return -cap, true end
  return cap, false
end
local function isFull(idx, cap, ...)
  upgrade(idx, nowMs())
  local now = nowMs()
  local live = redis.call('ZCOUNT', idx, '(' .. now, '+inf')
  for _, member in ipairs({...}) do
    local score = redis.call('ZSCORE', idx, member)
    if score and tonumber(score) > now then live = live - 1 end
  end
  return live >= cap
end
local function indexRemove(idx, member)
  upgrade(idx, nowMs())
  redis.call('ZREM', idx, member)
end`;

/** Start of the error a write script answers when it runs past its deadline. */
export const DEADLINE_REFUSED = 'ANALOG_SESSION_DEADLINE';

/**
 * First lines of every write script, after INDEX: ARGV[1] is the deadline (ms, in this server's clock; '' for
 * none), taken out of ARGV so the script reads the rest as documented. Past it, the script changes nothing and
 * answers an error. Redis may hold a script (CLIENT PAUSE WRITE during a failover, a slow command before it) until
 * after the client gave up: this is what keeps such a late script from being applied.
 */
const DEADLINE = `local deadline = table.remove(ARGV, 1)
if deadline ~= '' and nowMs() > tonumber(deadline) then
  return redis.error_reply('${DEADLINE_REFUSED} the write reached Redis after its deadline (the store timeout) and was not applied')
end`;

// One conditional write for every case: compare the version, write (under a new key when renamed), move the
// session between user index sets. KEYS: the record, then only the keys this call touches, each once: the
// new key when renamed, the index set to add to, the one to remove from (the same set counts once).
// ARGV: the deadline (taken out by DEADLINE: ARGV[1] below is what follows it), expected version, new value,
// ttl ms; then, only when renaming or changing index sets, the prune threshold and the KEYS index of the
// written key, of the set to add to and of the set to remove from (0: none); when binding, also the record's
// createdAt and the KEYS index of the add set's revocation time: a revocation at or after createdAt refuses the
// bind, deleting the record (reported as missing).
const COMPARE_AND_SET = `${VERSION}
${INDEX}
${DEADLINE}
local cur = redis.call('GET', KEYS[1])
if not cur then return {0} end
if string.sub(cur, 1, ${MOVED_MARK_HEAD.length}) == '${MOVED_MARK_HEAD}' then return {3} end
if version(cur) ~= ARGV[1] then return {1, cur} end
if not ARGV[4] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return {2}
end
local target = KEYS[tonumber(ARGV[5])]
local add, remove = tonumber(ARGV[6]), tonumber(ARGV[7])
local cap, deny = limitOf(ARGV[4])
if ARGV[8] then
  local revokedAt = redis.call('GET', KEYS[tonumber(ARGV[9])])
  if revokedAt and tonumber(revokedAt) >= tonumber(ARGV[8]) then
    redis.call('UNLINK', KEYS[1])
    if remove > 0 then indexRemove(KEYS[remove], KEYS[1]) end
    return {0}
  end
  if deny and add > 0 and isFull(KEYS[add], cap, KEYS[1], target) then return {4} end
end
redis.call('SET', target, ARGV[2], 'PX', ARGV[3])
if target ~= KEYS[1] then redis.call('SET', KEYS[1], '${MOVED_MARK_HEAD}' .. nowMs() .. '}', 'PX', ${MOVED_MARK_MS}) end
if remove > 0 and (remove ~= add or target ~= KEYS[1]) then indexRemove(KEYS[remove], KEYS[1]) end
local reply = {2}
if add > 0 then
  for _, old in ipairs(indexAdd(KEYS[add], target, ARGV[3], deny and math.huge or cap)) do reply[#reply + 1] = old end
end
return reply`;

// KEYS: the record, then its user set when it has one. ARGV: the deadline (as for every write script). 1 when
// a record was deleted (not a moved mark), else 0.
const REMOVE = `${INDEX}
${DEADLINE}
local cur = redis.call('GET', KEYS[1])
redis.call('UNLINK', KEYS[1])
if KEYS[2] then indexRemove(KEYS[2], KEYS[1]) end
if cur and string.sub(cur, 1, ${MOVED_MARK_HEAD.length}) ~= '${MOVED_MARK_HEAD}' then return 1 end
return 0`;

// KEYS: the record, then its user set when it has one. ARGV: deadline, version. Deletes the record only while it
// has that version: 1 when this call deleted it.
const REMOVE_IF_VERSION = `${VERSION}
${INDEX}
${DEADLINE}
local cur = redis.call('GET', KEYS[1])
if not cur or version(cur) ~= ARGV[1] then return 0 end
redis.call('UNLINK', KEYS[1])
if KEYS[2] then indexRemove(KEYS[2], KEYS[1]) end
return 1`;

// KEYS: user set, its revocation time, then the record key to keep when there is one. ARGV: deadline, now, window ms.
// Returns each member it deleted followed by its record (false when it had vanished).
const REVOKE = `${INDEX}
${DEADLINE}
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
local now = nowMs()
upgrade(KEYS[1], now)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local out = {}
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if member ~= KEYS[3] then
    out[#out + 1] = member
    out[#out + 1] = redis.call('GET', member)
    redis.call('UNLINK', member)
    redis.call('ZREM', KEYS[1], member)
  end
end
return out`;

// KEYS: user set. Trims it by expiry; returns its members each followed by its record (false when gone).
const LIST = `${INDEX}
local now = nowMs()
upgrade(KEYS[1], now)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local out = {}
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  out[#out + 1] = member
  out[#out + 1] = redis.call('GET', member)
end
return out`;

// KEYS: user set, then the record. ARGV: deadline. Deletes the record only when it is in the set: 1 when it
// existed, else 0.
const REMOVE_MEMBER = `${INDEX}
${DEADLINE}
upgrade(KEYS[1], nowMs())
if not redis.call('ZSCORE', KEYS[1], KEYS[2]) then return 0 end
redis.call('ZREM', KEYS[1], KEYS[2])
return redis.call('UNLINK', KEYS[2])`;

const prepared = new WeakSet<object>();

interface RedisDriverLike {
  name?: string;
  options?: { base?: string; cluster?: unknown[] };
  /** unstorage 1 returns the client; unstorage 2 (from 2.0.0-alpha.8) a promise of it. */
  getInstance?: () => RedisLike | Promise<RedisLike>;
}

/** How the session store reaches Redis: the client, the Redis key of a store key, and whether it is a cluster. */
export interface RedisClientAccess {
  client: () => RedisLike | Promise<RedisLike>;
  toRedisKey: (key: string) => string;
  /** Redis Cluster (unstorage's `cluster` option): keys get hash tags, see session-keys.ts. */
  cluster?: boolean;
  /** The pub/sub channel of the store's session notices (redis-notices.ts). @default none: notices stay in-process */
  channel?: string;
}

/**
 * The session store's view of a Storage whose keys under `prefix` go to unstorage's redis driver, or undefined.
 * The driver and its keys are the ones the Storage itself uses (key-route.ts): a prefixed Storage
 * (`useStorage('sessions')`) whose root mount is not Redis, or another Redis, gets the right one, or none.
 */
export function findRedisClient(storage: Storage<any>, prefix: string): RedisClientAccess | undefined {
  const route = prefixRoute(storage, prefix);
  const driver = route?.driver as RedisDriverLike | undefined;
  if (!route || driver?.name !== 'redis' || typeof driver.getInstance !== 'function') return undefined;
  const { head } = route;
  const driverBase = (driver.options?.base ?? '').replace(/:$/, '');
  const getInstance = driver.getInstance.bind(driver);
  // A key outside `prefix` (none today) is routed like the probe, and must reach the same driver.
  const slow = (key: string) => {
    const other = routeOf(storage, key);
    if (other?.driver !== route.driver) throw new Error(`redis store: ${key} is not stored by the redis driver of ${prefix}`);
    return joinKeys(driverBase, other.relativeKey);
  };
  // Keys under `prefix` are the prefix plus hex, on a cluster after a `{tag}` of base64url characters (see
  // session-keys.ts): already canonical, when the route's head is.
  // Skips unstorage's normalization per call (figure in bench/README.md).
  const fast = (key: string) => (driverBase ? `${driverBase}:${head}${key.slice(prefix.length)}` : head + key.slice(prefix.length));
  const probe = `${prefix}0123abcdef`;
  if (fast(probe) !== joinKeys(driverBase, `${head}0123abcdef`)) return undefined;
  return {
    client: getInstance,
    toRedisKey: (key) => (key.startsWith(prefix) ? fast(key) : slow(key)),
    cluster: Array.isArray(driver.options?.cluster) && driver.options.cluster.length > 0,
    channel: fast(`${prefix}events`),
  };
}

/**
 * Without an 'error' listener ioredis prints every failed reconnect with a stack. Requests already fail
 * with STORAGE_ERROR; log the outage once, and again only after the connection was back.
 */
function reportConnectionErrors(client: RedisLike): void {
  if (typeof client['on'] !== 'function') return;
  let reported = false;
  client['on']('error', (error: Error) => {
    if (reported) return;
    reported = true;
    console.error(`[@analog-tools/session] redis store: ${error.message} (further connection errors are muted until it reconnects)`);
  });
  client['on']('ready', () => {
    reported = false;
  });
}

/** How often the offset between this process' clock and Redis' is measured again (in the background). */
const CLOCK_REFRESH_MS = 30_000;
/**
 * What a write keeps of its time for its reply to come back: its script refuses to run later than this before the
 * client's deadline. At most a quarter of the time left. Covers the reply's way back and the clocks' drift
 * between two measurements (30 s at NTP's largest slew, 500 ppm: 15 ms).
 */
const REPLY_MARGIN_MS = 100;
/** Longest wait for one node's TIME; a node that does not answer is left out of the measurement. */
const CLOCK_PROBE_MS = 1000;

/**
 * Redis' clock minus this process' `performance.now()`, measured with TIME (which answers during CLIENT PAUSE
 * WRITE). Taken as Redis' time minus the local time at the reply: the smallest offset the round trip allows, so a
 * deadline converted with it is never later than the client's. On a cluster every node has its own clock: the
 * smallest offset over all nodes it knows (replicas too, one may be promoted), so the deadline holds on whichever node
 * runs a script, and nodes whose clocks run ahead give writes that much less time (a warning names the spread).
 */
function createRedisClock(client: () => RedisLike | Promise<RedisLike>): () => Promise<number> {
  let offset: number | undefined;
  let measuredAt = -Infinity;
  let measuring: Promise<number> | undefined;
  let warned = false;
  const probe = (node: RedisLike) =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`TIME did not answer within ${CLOCK_PROBE_MS} ms`)), CLOCK_PROBE_MS);
      (timer as { unref?: () => void }).unref?.();
      (node['time']() as Promise<[string, string]>).then(([seconds, micros]) => {
        clearTimeout(timer);
        resolve(Number(seconds) * 1000 + Number(micros) / 1000 - performance.now());
      }, reject);
    });
  const measure = async () => {
    const c = await client();
    const cluster = typeof c['nodes'] === 'function';
    // A cluster client knows its nodes once connected; any command waits for that.
    if (cluster && c['nodes']('all').length === 0) await c['time']();
    const nodes: RedisLike[] = cluster ? c['nodes']('all') : [c];
    const offsets = (await Promise.allSettled(nodes.map(probe))).flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    if (offsets.length === 0) throw new Error('redis store: no node answered TIME');
    const spread = Math.max(...offsets) - Math.min(...offsets);
    if (spread > REPLY_MARGIN_MS && !warned) {
      warned = true;
      console.warn(
        `[@analog-tools/session] redis store: the clocks of the cluster's nodes differ by ${Math.round(spread)} ms; writes on the ` +
          `nodes ahead get that much less of config.timeout. Synchronize their clocks (NTP).`,
      );
    }
    offset = Math.min(...offsets);
    measuredAt = performance.now();
    return offset;
  };
  return () => {
    if (offset !== undefined && performance.now() - measuredAt < CLOCK_REFRESH_MS) return Promise.resolve(offset);
    measuring ??= measure().finally(() => (measuring = undefined));
    // A stale offset serves while the new one is measured; only the first write waits for it.
    if (offset !== undefined) {
      measuring.catch(() => undefined);
      return Promise.resolve(offset);
    }
    return measuring;
  };
}

function result(reply: unknown): WriteResult {
  const [code, current] = reply as [number, string?];
  if (code === 2) return (reply as unknown[]).length > 1 ? { status: 'ok', evicted: (reply as unknown[]).slice(1).map(String) } : OK;
  if (code === 1) return { status: 'conflict', current };
  if (code === 3) return { status: 'moved' };
  if (code === 4) return { status: 'full' };
  return { status: 'missing' };
}

const OK: WriteResult = Object.freeze({ status: 'ok' });

/** A limit as the scripts take it: the cap, negative under the 'deny-new' policy. */
function limitArg(limit: SessionLimit = DEFAULT_SESSION_LIMIT): string {
  return String(limit.policy === 'deny-new' ? -limit.max : limit.max);
}

/** A {@link SessionBackend} on Redis with atomic scripts; conditional writes hold across instances. */
export function createRedisBackend(redis: RedisClientAccess): SessionBackend {
  const k = redis.toRedisKey;
  const prepare = (c: RedisLike) => {
    if (!prepared.has(c)) {
      reportConnectionErrors(c);
      // No fixed key count: each call passes exactly the keys it touches.
      c.defineCommand('analogSessionCompareAndSet', { lua: COMPARE_AND_SET });
      c.defineCommand('analogSessionRemove', { lua: REMOVE });
      c.defineCommand('analogSessionRemoveIfVersion', { lua: REMOVE_IF_VERSION });
      c.defineCommand('analogSessionRevoke', { lua: REVOKE });
      c.defineCommand('analogSessionList', { lua: LIST });
      c.defineCommand('analogSessionRemoveMember', { lua: REMOVE_MEMBER });
      if (redis.cluster) {
        const { place, take } = slotMoveScripts(VERSION, INDEX, DEADLINE);
        c.defineCommand('analogSessionPlace', { lua: place });
        c.defineCommand('analogSessionTake', { lua: take });
      }
      prepared.add(c);
    }
    return c;
  };
  // The client, asked of the driver once: unstorage 2's getInstance() answers with a promise (awaited once, then
  // kept), unstorage 1's with the client. A failed promise (ioredis missing) is asked again on the next call.
  let ready: RedisLike | undefined;
  let connecting: Promise<RedisLike> | undefined;
  const client = (): RedisLike | Promise<RedisLike> => {
    if (ready) return ready;
    const instance = redis.client();
    if (!isPending(instance)) return (ready = prepare(instance as RedisLike));
    connecting ??= Promise.resolve(instance).then(
      (c) => (ready = prepare(c)),
      (error) => {
        connecting = undefined;
        throw error;
      },
    );
    return connecting;
  };
  const ms = (ttlMs: number) => Math.max(1, Math.ceil(ttlMs));
  const offset = createRedisClock(client);
  // A write script's first argument: the store call's deadline in Redis' clock, less the reply margin; '' when the
  // caller gave none. A deadline already too close is not sent at all.
  const write = async <R>(deadline: number | undefined, send: (c: RedisLike, deadline: string) => Promise<R>): Promise<R> => {
    if (deadline === undefined) return send(await client(), '');
    const c = await client();
    const redisOffset = await offset();
    const now = performance.now();
    const margin = Math.min(REPLY_MARGIN_MS, (deadline - now) / 4);
    if (deadline - margin <= now) throw new Error(`${DEADLINE_REFUSED} the deadline passed before the write was sent; it was not applied`);
    return send(c, String(Math.floor(deadline - margin + redisOffset) - 1));
  };
  const hashTags = redis.cluster === true;
  const slotMove = (deadline: string) => ({
    place: async (keys: string[], value: string, ttlMs: number, limit: SessionLimit | undefined, bindCreatedAt?: number) =>
      (await client())['analogSessionPlace'](
        keys.length,
        ...keys,
        deadline,
        value,
        String(ms(ttlMs)),
        limitArg(limit),
        ...(bindCreatedAt === undefined ? [] : [String(bindCreatedAt)]),
      ),
    take: async (keys: string[], expectedVersion: number) =>
      (await client())['analogSessionTake'](keys.length, ...keys, deadline, String(expectedVersion)),
    // Undoing PLACE is cleanup, whenever it runs: no deadline.
    unplace: async (keys: string[]) => (await client())['analogSessionRemove'](keys.length, ...keys, ''),
    result,
  });

  const state = createBackendState();
  if (redis.channel !== undefined) state.events.channel = createRedisNoticeChannel(client, redis.channel, hashTags);
  return {
    backend: 'redis',
    nativeTtl: true,
    hashTags,
    ...state,
    get: (key) => {
      // No promise hop once the client is known: a read is one GET.
      const c = ready ?? client();
      return isPending(c) ? (c as Promise<RedisLike>).then((known) => known.get(k(key))) : (c as RedisLike).get(k(key));
    },
    create: async (key, value, ttlMs) => {
      await (await client()).set(k(key), value, 'PX', ms(ttlMs));
    },
    compareAndSet: (key, expectedVersion, value, ttlMs, { renameTo, users } = {}, deadline) =>
      write(deadline, (c, deadline) => {
        if (renameTo === undefined && users === undefined) {
          return c['analogSessionCompareAndSet'](1, k(key), deadline, String(expectedVersion), value, String(ms(ttlMs))).then(result);
        }
        if (hashTags && renameTo !== undefined && hashTagOf(k(renameTo)) !== hashTagOf(k(key))) {
          const index = (set: string | undefined) => (set === undefined ? undefined : k(set));
          const to = {
            key: k(renameTo),
            index: index(users?.add),
            revoked: users?.add === undefined ? undefined : k(revocationKey(users.add)),
            bindCreatedAt: users?.bindCreatedAt,
            limit: users?.limit,
          };
          return moveAcrossSlots(slotMove(deadline), { key: k(key), index: index(users?.remove) }, to, expectedVersion, value, ttlMs);
        }
        const keys = [k(key)];
        const indexOf = (redisKey: string | undefined) => {
          if (redisKey === undefined) return 0;
          const at = keys.indexOf(redisKey);
          return at >= 0 ? at + 1 : keys.push(redisKey);
        };
        const target = renameTo === undefined ? 1 : indexOf(k(renameTo));
        const add = indexOf(users?.add === undefined ? undefined : k(users.add));
        const remove = indexOf(users?.remove === undefined ? undefined : k(users.remove));
        const layout = [limitArg(users?.limit), ...[target, add, remove].map(String)];
        if (users?.bindCreatedAt !== undefined && users.add !== undefined) {
          layout.push(String(users.bindCreatedAt), String(indexOf(k(revocationKey(users.add)))));
        }
        const argv = [deadline, String(expectedVersion), value, String(ms(ttlMs)), ...layout];
        return c['analogSessionCompareAndSet'](keys.length, ...keys, ...argv).then(result);
      }),
    memberName: (key) => k(key),
    remove: (key, userSet, deadline) => {
      const keys = userSet ? [k(key), k(userSet)] : [k(key)];
      return write(deadline, async (c, deadline) => Number(await c['analogSessionRemove'](keys.length, ...keys, deadline)) === 1);
    },
    removeIfVersion: (key, version, userSet, deadline) => {
      const keys = userSet ? [k(key), k(userSet)] : [k(key)];
      return write(
        deadline,
        async (c, deadline) => Number(await c['analogSessionRemoveIfVersion'](keys.length, ...keys, deadline, String(version))) === 1,
      );
    },
    revokeUser: (userSet, exceptKey, deadline) => {
      // On a cluster a key of another slot cannot be in the user's index: nothing to spare, and naming it would fail.
      const spare = exceptKey !== undefined && !(hashTags && hashTagOf(k(exceptKey)) !== hashTagOf(k(userSet)));
      const keys = [k(userSet), k(revocationKey(userSet)), ...(spare ? [k(exceptKey!)] : [])];
      return write(deadline, async (c, deadline) => {
        const reply = (await c['analogSessionRevoke'](
          keys.length,
          ...keys,
          deadline,
          String(Date.now()),
          String(REVOCATION_WINDOW_MS),
        )) as (string | null)[];
        const revoked: DeletedMember[] = [];
        for (let i = 0; i < reply.length; i += 2) revoked.push({ member: String(reply[i]), raw: reply[i + 1] ?? null });
        return revoked;
      });
    },
    listUser: async (userSet, currentKey) => {
      const reply = (await (await client())['analogSessionList'](1, k(userSet))) as (string | null)[];
      const current = currentKey === undefined ? undefined : k(currentKey);
      const members: UserSetMember[] = [];
      for (let i = 0; i < reply.length; i += 2) {
        const member = String(reply[i]);
        members.push({ member, raw: reply[i + 1] ?? null, current: member === current });
      }
      return members;
    },
    removeMember: (userSet, member, deadline) =>
      write(deadline, async (c, deadline) => Number(await c['analogSessionRemoveMember'](2, k(userSet), member, deadline)) === 1),
  };
}
