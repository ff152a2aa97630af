// Store keys: the store never holds a usable session ID, only its hash.
import { getCryptoBackend } from './session-crypto';
import type { SessionRecord } from './session-record';

/** Store key of a session ID. */
export async function storeKey(prefix: string, id: string): Promise<string> {
  return `${prefix}${await getCryptoBackend().sha256Hex(id)}`;
}

/** Store key of a user's index of sessions. */
export async function userSetKey(prefix: string, userId: string): Promise<string> {
  return `${prefix}user:${await getCryptoBackend().sha256Hex(`user:${userId}`)}`;
}

/** The user-set key of a record's user, if it has one. */
export async function recordUserSet(prefix: string, record: SessionRecord | null): Promise<string | undefined> {
  return record?.userId === undefined ? undefined : userSetKey(prefix, record.userId);
}
