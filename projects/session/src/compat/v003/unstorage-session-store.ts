import { createStorage, type Driver, type Storage } from 'unstorage';
import { isExpired, parseRecord, serializeRecord } from '../../core/record';
import { storeKey } from '../../core/keys';
import type { RawSession, SessionDataT, SessionStore, TTL, UnstorageSessionStoreOptions } from './v003-types';

/** Keys of session records under a v0.0.3 prefix: `<prefix>:<SHA-256 hex of the ID>`. */
const RECORD_KEY = /^[0-9a-f]{64}$/;

/** The part of a `Storage` v0.0.3's store used, and what its own specs passed (a Map behind four methods). */
export interface StorageLike {
  getItem(key: string): unknown;
  setItem(key: string, value: any, options?: { ttl?: number }): unknown;
  removeItem(key: string): unknown;
  getKeys(base?: string): string[] | Promise<string[]>;
}

/** A full unstorage `Storage` over a {@link StorageLike} (one without `getItemRaw`, `setItemRaw`, mounts, ...). */
function toStorage(storage: Storage<any> | StorageLike): Storage<any> {
  if (typeof (storage as Partial<Storage<any>>).getItemRaw === 'function') return storage as Storage<any>;
  const like = storage as StorageLike;
  // A plain driver object: unstorage 2 no longer exports defineDriver, and an import of it fails the whole app.
  const driver: Driver = {
    name: 'storage-like',
    hasItem: async (key: string) => ((await like.getItem(key)) ?? null) !== null,
    getItem: (key: string) => like.getItem(key) as any,
    setItem: async (key: string, value: string, options: { ttl?: number }) => void (await like.setItem(key, value, options)),
    removeItem: async (key: string) => void (await like.removeItem(key)),
    getKeys: (base: string) => like.getKeys(base),
  };
  return createStorage({ driver });
}

/**
 * The session store of the v0.0.3 API: sessions in any unstorage `Storage`, under `<prefix>:<hash of the ID>`
 * in this package's record format (with expiry and versioning), so a leaked store dump holds no usable ID.
 * Pass it as `store` to `useSession(event, { store, secret })`.
 *
 * @example
 * const storage = createStorage({ driver: redisDriver({ host: 'localhost' }) });
 * const sessionStore = new UnstorageSessionStore(storage, { ttl: 86400, prefix: 'sess' });
 */
export class UnstorageSessionStore<T extends SessionDataT = SessionDataT> implements SessionStore<T> {
  storage: Storage<any>;
  prefix: string;
  ttl: TTL<T>;
  /** Resolves to `storage` once it exists (a `RedisSessionStore` loads its driver on demand). */
  readonly ready: Promise<Storage<any>>;

  /**
   * `storage`: an unstorage `Storage`, or any object with `getItem` / `setItem` / `removeItem` / `getKeys` (as v0.0.3
   * took), which is wrapped into one.
   */
  constructor(storage: Storage<any> | StorageLike, options?: Partial<UnstorageSessionStoreOptions<T>>, ready?: Promise<Storage<any>>) {
    // A RedisSessionStore passes no storage yet (its driver loads on demand), only `ready`.
    this.storage = storage && toStorage(storage);
    this.prefix = options?.prefix ?? 'sess';
    this.ttl = options?.ttl ?? 60 * 60 * 24;
    this.ready = ready ?? Promise.resolve(this.storage);
  }

  /** The session's data, or undefined when it does not exist or has expired. */
  async get(sid: string): Promise<RawSession<T> | undefined> {
    const storage = await this.ready;
    const record = parseRecord<T>(await storage.getItemRaw(await this.getKey(sid)));
    return record && !isExpired(record, Date.now()) ? record.data : undefined;
  }

  /**
   * Writes the session's data directly, bypassing the request-level merge that keeps concurrent updates:
   * prefer `event.context.sessionHandler.save()`. A TTL of 0 or less deletes the session.
   */
  async set(sid: string, data: RawSession<T>): Promise<void> {
    const ttl = this.getTTL(data);
    if (!(ttl > 0)) return this.destroy(sid);
    const storage = await this.ready;
    const key = await this.getKey(sid);
    const current = parseRecord<T>(await storage.getItemRaw(key));
    const now = Date.now();
    const version = (current?.version ?? 0) + 1;
    const record = { version, data: { ...data }, createdAt: current?.createdAt ?? now, updatedAt: now, expiresAt: now + ttl * 1000 };
    await storage.setItemRaw(key, serializeRecord(record), { ttl });
  }

  async destroy(sid: string): Promise<void> {
    await (await this.ready).removeItem(await this.getKey(sid));
  }

  async touch(sid: string, data: T): Promise<void> {
    await this.set(sid, data);
  }

  /** Deletes every session under this prefix. */
  async clear(): Promise<void> {
    const storage = await this.ready;
    await Promise.all((await this.getAllKeys()).map((key) => storage.removeItem(key)));
  }

  /** The data of every live session under this prefix. */
  async all(): Promise<RawSession<T>[]> {
    return (await this.liveSessions()).map(([, data]) => data);
  }

  async length(): Promise<number> {
    return (await this.all()).length;
  }

  /** The prefix as the session config takes it. */
  get keyPrefix(): string {
    return `${this.prefix}:`;
  }

  /** Every live session under this prefix: its store key and its data. */
  protected async liveSessions(): Promise<[key: string, data: RawSession<T>][]> {
    const storage = await this.ready;
    const now = Date.now();
    const keys = await this.getAllKeys();
    const records = await Promise.all(keys.map(async (key) => parseRecord<T>(await storage.getItemRaw(key))));
    return keys.flatMap((key, i) => {
      const record = records[i];
      return record && !isExpired(record, now) ? [[key, record.data] as [string, RawSession<T>]] : [];
    });
  }

  protected async getAllKeys(): Promise<string[]> {
    const storage = await this.ready;
    return (await storage.getKeys(this.prefix)).filter((key) => RECORD_KEY.test(key.slice(this.keyPrefix.length)));
  }

  protected getKey(sid: string): Promise<string> {
    return storeKey(this.keyPrefix, sid);
  }

  protected getTTL(data: T): number {
    return typeof this.ttl === 'function' ? this.ttl(data) : this.ttl;
  }
}
