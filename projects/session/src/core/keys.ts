// Store keys: the store never holds a usable session ID, only its hash. On Redis Cluster (a store with
// `hashTags`) every key also names its slot, so that the keys one script touches share a slot: an ID's first
// SLOT_TAG_LENGTH characters are its hash tag, and a session bound to a user gets an ID starting with that
// user's tag, which also tags the user's index (README, "Scaling out").
import { getCryptoBackend } from './crypto';
import type { SessionRecord } from './record';

/** Characters at the start of a session ID that name its Redis Cluster slot, where the store uses hash tags. */
export const SLOT_TAG_LENGTH = 4;

/** Store key of a session ID: `prefix` + SHA-256 of the ID, after `{tag}` with hash tags. */
export async function storeKey(prefix: string, id: string, hashTags = false): Promise<string> {
  const hash = await getCryptoBackend().sha256Hex(id);
  return hashTags ? `${prefix}{${id.slice(0, SLOT_TAG_LENGTH)}}${hash}` : `${prefix}${hash}`;
}

/** The hash tag of a user's sessions and index: the start of a hash of the user ID (hex, so valid in an ID). */
export async function userSlotTag(userId: string): Promise<string> {
  return (await getCryptoBackend().sha256Hex(`user:${userId}`)).slice(0, SLOT_TAG_LENGTH);
}

/** Store key of a user's index of sessions; with hash tags, in the slot of the user's sessions. */
export async function userSetKey(prefix: string, userId: string, hashTags = false): Promise<string> {
  const hash = await getCryptoBackend().sha256Hex(`user:${userId}`);
  return hashTags ? `${prefix}user:{${hash.slice(0, SLOT_TAG_LENGTH)}}${hash}` : `${prefix}user:${hash}`;
}

/**
 * Key of the time (ms) a user's sessions were last revoked, in the slot of the index: `prefix` + `user:revoked:`
 * + the index's tag and hash (not below the index key itself, which the fs driver stores as a file).
 */
export function revocationKey(userSet: string): string {
  const at = userSet.lastIndexOf('user:') + 'user:'.length;
  return `${userSet.slice(0, at)}revoked:${userSet.slice(at)}`;
}

/** The user-set key of a record's user, if it has one. */
export async function recordUserSet(prefix: string, record: SessionRecord | null, hashTags = false): Promise<string | undefined> {
  return record?.userId === undefined ? undefined : userSetKey(prefix, record.userId, hashTags);
}

/**
 * The handle `listUserSessions` shows for a session of a user's index: a hash of the store's name for its
 * record, itself a hash of the ID, so it can name the session to revoke but never be used as its cookie.
 */
export async function sessionHandle(member: string): Promise<string> {
  return (await getCryptoBackend().sha256Hex(`handle:${member}`)).slice(0, 32);
}
