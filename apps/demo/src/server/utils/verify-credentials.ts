import { scrypt, timingSafeEqual, type BinaryLike, type ScryptOptions } from 'node:crypto';
import { DEMO_USERS, type DemoUser } from './demo-users';

const SCRYPT_OPTIONS: ScryptOptions = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

// Unknown usernames are checked against this entry too, so the answer takes as long as for a real user.
const NO_USER: DemoUser = { id: '', username: '', name: '', salt: 'bm8tc3VjaC11c2VyLXNhbHQ', hash: 'A'.repeat(43) };

function deriveKey(password: BinaryLike, salt: BinaryLike): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, SCRYPT_OPTIONS, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** Returns the demo user whose username and password match, or null. */
export async function verifyCredentials(username: string, password: string): Promise<DemoUser | null> {
  const user = DEMO_USERS.find((candidate) => candidate.username === username.trim().toLowerCase());
  const entry = user ?? NO_USER;
  const actual = await deriveKey(password, Buffer.from(entry.salt, 'base64url'));
  const expected = Buffer.from(entry.hash, 'base64url');
  const matches = expected.length === actual.length && timingSafeEqual(actual, expected);
  return user && matches ? user : null;
}
