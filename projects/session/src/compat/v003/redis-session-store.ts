import { createStorage, type Storage } from 'unstorage';
import { SessionError } from '../../core/errors';
import { UnstorageSessionStore } from './unstorage-session-store';
import type { RawSession, SessionDataT, UnstorageSessionStoreOptions } from './v003-types';

/** Options of `new RedisSessionStore(options)`: the connection, plus `prefix` and `ttl`. */
export interface RedisSessionStoreOptions<T extends SessionDataT = SessionDataT> extends UnstorageSessionStoreOptions<T> {
  url?: string;
  /** @default 'localhost' */
  host?: string;
  /** @default 6379 */
  port?: number;
  username?: string;
  password?: string;
  /** @default 0 */
  db?: number;
  tls?: Record<string, unknown>;
}

/**
 * The Redis session store of the v0.0.3 API. The Redis driver (and ioredis) load on first use, so apps
 * that never create one do not need ioredis; `storage` is set once it has loaded.
 *
 * @example
 * const sessionStore = new RedisSessionStore({ url: process.env['REDIS_URL'], ttl: 86400 });
 */
export class RedisSessionStore<T extends SessionDataT = SessionDataT> extends UnstorageSessionStore<T> {
  constructor(options: Partial<RedisSessionStoreOptions<T>> = {}) {
    const ready: Promise<Storage<any>> = import('unstorage/drivers/redis').then(
      ({ default: redisDriver }) => {
        const storage = createStorage({
          driver: redisDriver({
            url: options.url,
            host: options.host || 'localhost',
            port: options.port || 6379,
            username: options.username,
            password: options.password,
            db: options.db || 0,
            tls: options.tls as never,
          }),
        });
        this.storage = storage;
        return storage;
      },
      (error: unknown) => {
        const message = 'RedisSessionStore: could not load the unstorage redis driver. Install ioredis.';
        throw new SessionError('STORAGE_ERROR', message, { backend: 'redis' }, { cause: error });
      },
    );
    ready.catch(() => undefined);
    super(undefined as unknown as Storage<any>, { prefix: options.prefix || 'sess', ttl: options.ttl || 60 * 60 * 24 }, ready);
  }

  /**
   * The data of every live session, by store key (`<prefix>:<hash of the ID>`: never a usable ID). Unlike v0.0.3,
   * which answered `{}`, a failing store rejects.
   */
  async getAll(): Promise<Record<string, RawSession<T>>> {
    return Object.fromEntries(await this.liveSessions());
  }
}
