// Sessions exactly as the published @analog-tools/session releases left them in a store and a browser,
// written by our own code from the formats read in the upstream history (MrBacony/analog-tools,
// packages/session):
// - 0.0.3 (to 0.0.5): ID `crypto.randomUUID()`; key `<store prefix>:<ID>` (prefix 'sess' by default) holding
//   the plain data with the store's TTL; cookie `s:<ID>.<HMAC-SHA256, standard base64, no padding>` signed
//   with the LAST secret.
// - 0.0.18 (0.0.6 to 0.0.21): ID a 21-character nanoid; key `<ID>` at the storage root holding the plain
//   data, no TTL; cookie as above, signed with the FIRST secret.
// - 0.0.24 (0.0.22 on): as 0.0.18, with a UUID for the ID.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { Storage } from 'unstorage';

export type UpstreamVersion = '0.0.3' | '0.0.18' | '0.0.24';
export const UPSTREAM_VERSIONS: UpstreamVersion[] = ['0.0.3', '0.0.18', '0.0.24'];

export interface UpstreamSession {
  id: string;
  /** The store key the release used. */
  key: string;
  /** The cookie value (decoded), as the browser holds it. */
  cookie: string;
}

const NANOID_ALPHABET = 'useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict';

function nanoid21(): string {
  return Array.from(randomBytes(21), (byte) => NANOID_ALPHABET[byte & 63]).join('');
}

/** `s:<value>.<signature>` as the releases signed it: standard base64 with the padding stripped. */
export function upstreamSign(value: string, secret: string): string {
  return `s:${value}.${createHmac('sha256', secret).update(value).digest('base64').replace(/=+$/, '')}`;
}

/** Writes `data` as `version` stored it and returns the cookie a browser would present. */
export async function writeUpstreamSession(
  storage: Storage<any>,
  version: UpstreamVersion,
  data: Record<string, unknown>,
  options: { secrets: string[]; prefix?: string; ttl?: number },
): Promise<UpstreamSession> {
  if (version === '0.0.3') {
    const id = randomUUID();
    const key = `${options.prefix ?? 'sess'}:${id}`;
    await storage.setItem(key, data, { ttl: options.ttl ?? 86400 });
    return { id, key, cookie: upstreamSign(id, options.secrets[options.secrets.length - 1]) };
  }
  const id = version === '0.0.18' ? nanoid21() : randomUUID();
  await storage.setItem(id, data);
  return { id, key: id, cookie: upstreamSign(id, options.secrets[0]) };
}
