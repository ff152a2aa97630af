// Types of the first published API (v0.0.3), kept so its code compiles unchanged.
import type { H3Event } from 'h3';

/**
 * Shape of session data for the v0.0.3 API. Augment it to type your data:
 *
 * @example
 * declare module '@analog-tools/session' {
 *   export interface SessionDataT { userId?: string; isAuthenticated: boolean }
 * }
 */
export interface SessionDataT {
  [key: string]: any;
}

/** The data as a v0.0.3 store holds it: the plain data object. */
export type RawSession<T extends SessionDataT = SessionDataT> = T;

/** Store time-to-live in seconds, or a function of the data giving it. */
export type TTL<T extends SessionDataT = SessionDataT> = number | ((data: T) => number);

/** Options of `new UnstorageSessionStore(storage, options)`. */
export interface UnstorageSessionStoreOptions<T extends SessionDataT = SessionDataT> {
  /** Key prefix; records live under `<prefix>:<hash of the ID>`. @default 'sess' */
  prefix: string;
  /** Idle lifetime of a session in seconds (our `maxAge`). @default 86400 */
  ttl: TTL<T>;
}

/** Cookie options of the v0.0.3 config. */
export interface SessionCookieOptions {
  domain?: string;
  /** Ignored: the cookie's lifetime follows the session's (see `ttl`). */
  expires?: Date;
  httpOnly?: boolean;
  /** Ignored: the cookie's Max-Age follows the session's remaining lifetime (see `ttl`). */
  maxAge?: number;
  path?: string;
  sameSite?: true | false | 'lax' | 'none' | 'strict';
  secure?: boolean;
}

/** The session cookie's attributes as the v0.0.3 handler exposes them (read-only). */
export type SessionCookie = Readonly<SessionCookieOptions>;

/** What a v0.0.3 store offers; {@link UnstorageSessionStore} implements it. */
export interface SessionStore<T extends SessionDataT = SessionDataT> {
  all?: () => Promise<RawSession<T>[]>;
  destroy: (sid: string) => Promise<void>;
  clear?: () => Promise<void>;
  length?: () => Promise<number>;
  get: (sid: string) => Promise<RawSession<T> | undefined>;
  set: (sid: string, data: RawSession<T>) => Promise<void>;
  touch: (sid: string, data: T) => Promise<void>;
}

/** The v0.0.3 config of `useSession(event, config)`. */
export interface H3SessionOptions<T extends SessionDataT = SessionDataT> {
  /** An `UnstorageSessionStore` or `RedisSessionStore`. */
  store: SessionStore<T>;
  cookie?: SessionCookieOptions;
  /** @default 'connect.sid' */
  name?: string;
  /** Ignored: session IDs are always 192 random bits. */
  genid?: (event: H3Event) => string;
  generate?: () => T;
  /** @default false */
  saveUninitialized?: boolean;
  /** Secret(s); in this API the LAST one signs new cookies and every one verifies. */
  secret: string | readonly string[];
}

/** `event.context.sessionHandler`: the session of the request, as the v0.0.3 API exposed it. */
export interface SessionHandler<T extends SessionDataT = SessionDataT> {
  /** The session ID; `''` until the session is first saved (sessions are created on their first write). */
  readonly id: string;
  readonly cookie: SessionCookie;
  /** This request's view of the data, frozen; changed by update() / set(), persisted by save(). */
  readonly data: Readonly<T>;
  /** Shallow-merges the updater's result into the data (not yet saved). */
  update(updater: (data: Readonly<T>) => T | Partial<T>): SessionHandler<T>;
  /** Replaces the data (not yet saved). */
  set(newData: T): SessionHandler<T>;
  /** Persists what this request changed onto the freshest stored copy; other requests' keys are kept. */
  save(): Promise<void>;
  /** Re-reads the data from the store, dropping unsaved changes. */
  reload(): Promise<void>;
  /** Deletes the session and expires its cookie. */
  destroy(): Promise<void>;
  /** Deletes the session and starts a new one, with a new ID and fresh data, saved at once. */
  regenerate(): Promise<void>;
}

declare module 'h3' {
  interface H3EventContext {
    /** The v0.0.3 session handler, set by `useSession(event, v003Options)` (see {@link SessionHandler}). */
    sessionHandler: SessionHandler<SessionDataT>;
  }
}
