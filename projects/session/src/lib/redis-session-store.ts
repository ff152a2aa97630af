// Redis (and Valkey) through the ioredis client of unstorage's redis driver. Every write that must not be
// lost is one Lua script, so it is atomic across all instances sharing the server: a compare-and-set on
// the record's version (no lost updates), regeneration and revocation in one step each.
import type { Storage } from 'unstorage';
import { joinKeys, normalizeKey } from 'unstorage';
import type { SessionStore, WriteResult } from './session-store';

/** The part of an ioredis client (or cluster) this store uses. */
export interface RedisLike {
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
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

// KEYS: record, user set to add to ('' = none), user set to remove from ('' = none)
// ARGV: expected version, new value, ttl ms, prune threshold
const REPLACE = `${VERSION}
local cur = redis.call('GET', KEYS[1])
if not cur then return {0} end
if version(cur) ~= ARGV[1] then return {1, cur} end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
if KEYS[3] ~= '' and KEYS[3] ~= KEYS[2] then redis.call('SREM', KEYS[3], KEYS[1]) end
if KEYS[2] ~= '' then
  redis.call('SADD', KEYS[2], KEYS[1])
  if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[4]) then
    for _, member in ipairs(redis.call('SMEMBERS', KEYS[2])) do
      if redis.call('EXISTS', member) == 0 then redis.call('SREM', KEYS[2], member) end
    end
  end
end
return {2}`;

// KEYS: old record, new record, user set ('' = none). ARGV: expected version, new value, ttl ms
const MOVE = `${VERSION}
local cur = redis.call('GET', KEYS[1])
if not cur then return {0} end
if version(cur) ~= ARGV[1] then return {1, cur} end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
redis.call('UNLINK', KEYS[1])
if KEYS[3] ~= '' then
  redis.call('SREM', KEYS[3], KEYS[1])
  redis.call('SADD', KEYS[3], KEYS[2])
end
return {2}`;

// KEYS: record, user set ('' = none)
const REMOVE = `redis.call('UNLINK', KEYS[1])
if KEYS[2] ~= '' then redis.call('SREM', KEYS[2], KEYS[1]) end
return 1`;

// KEYS: user set. ARGV: record key to keep ('' = none)
const REVOKE = `local kept = 0
local deleted = 0
for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if member == ARGV[1] then kept = 1 else redis.call('UNLINK', member); deleted = deleted + 1 end
end
redis.call('DEL', KEYS[1])
if kept == 1 then redis.call('SADD', KEYS[1], ARGV[1]) end
return deleted`;

const USER_SET_PRUNE_AT = 32;
const prepared = new WeakSet<object>();

interface RedisDriverLike {
  name?: string;
  options?: { base?: string };
  getInstance?: () => RedisLike;
}

/** The session store's view of a Storage backed by unstorage's redis driver at `prefix`, or undefined. */
export function findRedisClient(storage: Storage<any>, prefix: string): { client: () => RedisLike; toRedisKey: (key: string) => string } | undefined {
  let mount: { base: string; driver: RedisDriverLike } | undefined;
  try {
    mount = storage.getMount?.(prefix) as typeof mount;
  } catch {
    return undefined;
  }
  const driver = mount?.driver;
  if (!mount || driver?.name !== 'redis' || typeof driver.getInstance !== 'function') return undefined;
  const mountBase = mount.base;
  const driverBase = (driver.options?.base ?? '').replace(/:$/, '');
  const getInstance = driver.getInstance;
  return {
    client: () => getInstance(),
    toRedisKey: (key) => joinKeys(driverBase, normalizeKey(key).slice(mountBase.length)),
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

function result(reply: unknown): WriteResult {
  const [code, current] = reply as [number, string?];
  if (code === 2) return { status: 'ok' };
  if (code === 1) return { status: 'conflict', current };
  return { status: 'missing' };
}

/** A {@link SessionStore} on Redis with atomic scripts; conditional writes hold across instances. */
export function createRedisSessionStore(redis: { client: () => RedisLike; toRedisKey: (key: string) => string }): SessionStore {
  const k = redis.toRedisKey;
  const client = () => {
    const c = redis.client();
    if (!prepared.has(c)) {
      reportConnectionErrors(c);
      c.defineCommand('analogSessionReplace', { numberOfKeys: 3, lua: REPLACE });
      c.defineCommand('analogSessionMove', { numberOfKeys: 3, lua: MOVE });
      c.defineCommand('analogSessionRemove', { numberOfKeys: 2, lua: REMOVE });
      c.defineCommand('analogSessionRevoke', { numberOfKeys: 1, lua: REVOKE });
      prepared.add(c);
    }
    return c;
  };
  const ms = (ttlMs: number) => Math.max(1, Math.ceil(ttlMs));
  const set = (key: string | undefined) => (key ? k(key) : '');

  return {
    backend: 'redis',
    distributed: true,
    nativeTtl: true,
    get: (key) => client().get(k(key)),
    create: async (key, value, ttlMs) => {
      await client().set(k(key), value, 'PX', ms(ttlMs));
    },
    replace: async (key, expectedVersion, value, ttlMs, users) =>
      result(
        await client()['analogSessionReplace'](k(key), set(users?.add), set(users?.remove), String(expectedVersion), value, ms(ttlMs), USER_SET_PRUNE_AT),
      ),
    move: async (oldKey, newKey, expectedVersion, value, ttlMs, userSet) =>
      result(await client()['analogSessionMove'](k(oldKey), k(newKey), set(userSet), String(expectedVersion), value, ms(ttlMs))),
    remove: async (key, userSet) => {
      await client()['analogSessionRemove'](k(key), set(userSet));
    },
    revokeUser: async (userSet, exceptKey) => Number(await client()['analogSessionRevoke'](k(userSet), exceptKey ? k(exceptKey) : '')),
  };
}
