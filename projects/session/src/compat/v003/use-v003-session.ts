import { loadSession } from '../../api/load-session';
import type { CookieOptions, SessionConfig } from '../../core/config';
import type { SessionEvent } from '../../http/event';
import { attachSessionHandler } from './session-handler';
import { UnstorageSessionStore } from './unstorage-session-store';
import type { H3SessionOptions, SessionDataT } from './v003-types';

/** Whether a config is the v0.0.3 one: its store is an `UnstorageSessionStore` (or `RedisSessionStore`). */
export function isV003Options(config: unknown): config is H3SessionOptions<any> {
  return (config as { store?: unknown } | undefined)?.store instanceof UnstorageSessionStore;
}

const translated = new WeakMap<H3SessionOptions<any>, SessionConfig<any>>();

/**
 * The session config equivalent to a v0.0.3 one, made once per config object. The secrets are reversed:
 * v0.0.3 signed with the last secret, this package signs with the first, and both verify with all.
 */
export function toSessionConfig<T extends SessionDataT>(options: H3SessionOptions<T>): SessionConfig<T> {
  let config = translated.get(options);
  if (!config) {
    const store = options.store as unknown as UnstorageSessionStore<T>;
    const secrets = typeof options.secret === 'string' ? [options.secret] : [...options.secret].reverse();
    const generate = options.generate ?? (() => ({}) as T);
    const { path, httpOnly, secure, sameSite, domain } = options.cookie ?? {};
    const given = Object.entries({ path, httpOnly, secure, sameSite, domain }).filter(([, value]) => value !== undefined);
    const cookie = Object.fromEntries(given) as CookieOptions;
    config = {
      // A RedisSessionStore has its storage only once the driver has loaded; the config takes the promise then.
      store: store.storage ?? store.ready,
      secret: secrets,
      name: options.name,
      maxAge: typeof store.ttl === 'function' ? store.ttl(generate()) : store.ttl,
      cookie,
      generate,
      saveUninitialized: options.saveUninitialized,
      prefix: store.keyPrefix,
      // Sessions v0.0.3 itself left under this prefix are adopted too.
      legacySessions: { prefixes: [store.keyPrefix, ''] },
    };
    translated.set(options, config);
  }
  return config as SessionConfig<T>;
}

/** `useSession(event, v003Options)`: this package's session, with the v0.0.3 handler on `event.context`. */
export async function useV003Session<T extends SessionDataT>(event: SessionEvent, options: H3SessionOptions<T>): Promise<void> {
  await loadSession(event, toSessionConfig(options));
  attachSessionHandler(event);
}
