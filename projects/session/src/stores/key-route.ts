// Where a Storage really sends a key. unstorage's prefixStorage (Nitro's `useStorage('sessions')`) copies its
// root's getMount and getMounts, so the mount they report for a key is the root's, not the one the prefixed key
// reaches. What it does prefix is mount(): mounting a probe driver through it and finding that driver among the
// root's mounts shows the prefix, and the root's getMount then names the driver of a prefixed key. No driver is
// called, so the proof costs no store call.
import { normalizeKey, type Driver, type Storage } from 'unstorage';

/** The driver a Storage reads `key` from, and the key that driver is given. */
export interface KeyRoute {
  driver: Driver;
  relativeKey: string;
}

const PROBE_MOUNT = 'analog-session-route-probe';

/**
 * The prefix a Storage adds to every key before its mounts see it: '' for a plain Storage, `sessions:` for
 * `prefixStorage(storage, 'sessions')`, nested prefixes joined. Undefined when a probe driver mounted through
 * the Storage is not found among the mounts it reports (a wrapper of another kind): then nothing is proven.
 */
function keyPrefixOf(storage: Storage<any>): string | undefined {
  if (typeof storage.mount !== 'function' || typeof storage.unmount !== 'function' || typeof storage.getMounts !== 'function') {
    return undefined;
  }
  const probe: Driver = { name: PROBE_MOUNT, hasItem: () => false, getItem: () => null, getKeys: () => [] };
  try {
    storage.mount(PROBE_MOUNT, probe);
  } catch {
    return undefined;
  }
  try {
    const base = storage.getMounts('').find((mount) => mount.driver === probe)?.base;
    return base?.endsWith(`${PROBE_MOUNT}:`) ? base.slice(0, -`${PROBE_MOUNT}:`.length) : undefined;
  } finally {
    // Without dispose, unmount() completes synchronously: no one can see the probe mount.
    void Promise.resolve(storage.unmount(PROBE_MOUNT, false)).catch(() => undefined);
  }
}

/** The driver `storage.getItemRaw(key)` reaches and the key it passes, or undefined when it cannot be proven. */
export function routeOf(storage: Storage<any>, key: string): KeyRoute | undefined {
  const prefix = keyPrefixOf(storage);
  if (prefix === undefined || typeof storage.getMount !== 'function') return undefined;
  const rootKey = normalizeKey(prefix + key);
  const { base, driver } = storage.getMount(rootKey);
  if (!driver || !`${rootKey}:`.startsWith(base)) return undefined;
  return { driver, relativeKey: rootKey.slice(base.length) };
}

/**
 * How the driver names the keys under `prefix`: its key for `prefix + rest` is `head + rest`, proven with a probe
 * key for rests that need no normalization (record keys: hex, with a `{tag}` on Redis Cluster). Undefined when
 * the Storage does not route the probe that way.
 */
export function prefixRoute(storage: Storage<any>, prefix: string): { driver: Driver; head: string } | undefined {
  const rest = '0123abcdef';
  const route = routeOf(storage, `${prefix}${rest}`);
  if (!route || !route.relativeKey.endsWith(rest)) return undefined;
  return { driver: route.driver, head: route.relativeKey.slice(0, -rest.length) };
}
