import { availableParallelism } from 'node:os';
import { createError, setResponseHeader, type H3Event } from 'h3';
import { LRUCache } from 'lru-cache';
import { clientAddress } from './client-address';
import { createConcurrencyLimit } from './concurrency-limit';
import { createRateLimit } from './rate-limit';

/** The demo's login limits (apps/demo/README.md, "Security", says why each). Held in memory, per process. */
export const LOGIN_LIMITS = {
  /** Largest login body read; more answers 413. A username (64) and password (256), even fully %-encoded, fit. @default 4096 */
  maxBodyBytes: 4096,
  /** Failed logins per client address (IPv6: per /64) per window; more answers 429. @default 20 */
  perAddress: 20,
  /** Failed logins per username, from all addresses, per window; more answers 429. @default 10 */
  perUsername: 10,
  /** Window of both counts, from a key's first failure. @default 300 (5 minutes) */
  windowSeconds: 300,
  /** An address that signed in as a user is exempt from that user's lock for this long. @default 86400 (1 day) */
  knownClientSeconds: 86_400,
  /**
   * Password hashes (scrypt, 16 MiB and ~50 ms each) computed at once. They run in libuv's pool of 4 threads,
   * which also serves the fs session store: leaving threads free keeps signed-in requests fast during a flood.
   * @default the CPU count minus one, between 1 and 3
   */
  concurrentHashes: Math.min(3, Math.max(1, availableParallelism() - 1)),
  /** Logins waiting for a hashing slot at most; more answer 503 with `Retry-After: 1`. @default 16 */
  waitingHashes: 16,
} as const;

const perAddress = createRateLimit({ limit: LOGIN_LIMITS.perAddress, windowSeconds: LOGIN_LIMITS.windowSeconds });
const perUsername = createRateLimit({ limit: LOGIN_LIMITS.perUsername, windowSeconds: LOGIN_LIMITS.windowSeconds });
/** "username\naddress" pairs that signed in successfully: these clients are not locked out by the username's lock. */
const knownClients = new LRUCache<string, true>({ max: 10_000, ttl: LOGIN_LIMITS.knownClientSeconds * 1000 });

/** Bounds the password hashing of all logins of this process (see `LOGIN_LIMITS.concurrentHashes`). */
export const passwordHashing = createConcurrencyLimit({ max: LOGIN_LIMITS.concurrentHashes, maxWaiting: LOGIN_LIMITS.waitingHashes });

/** One login attempt, counted against its client address and its username before the password is checked. */
export interface LoginAttempt {
  /** Seconds to wait before trying again when the attempt is refused (429); 0 when it may go ahead. */
  retryAfter: number;
  /** The password was right: gives the attempt back and remembers this address for this user. */
  succeeded(): void;
  /** The password was never checked (hashing busy): gives the attempt back. */
  cancel(): void;
}

const NOTHING = (): void => undefined;

/**
 * Counts a login attempt before the password is checked, so that concurrent guesses are counted too; a login
 * that succeeds gives it back, so only failures add up. Refused while the address or the username has used up
 * its window. The username lock does not apply to an address that signed in as that user within
 * `knownClientSeconds`: an attacker who keeps a public demo account locked cannot keep out someone who has
 * used it from there before (that address still has its own limit).
 */
export function takeLoginAttempt(event: H3Event, username: string): LoginAttempt {
  const address = clientAddress(event);
  const user = username.trim().toLowerCase();
  const pair = `${user}\n${address}`;

  const addressWait = perAddress.take(address);
  if (addressWait) return { retryAfter: addressWait, succeeded: NOTHING, cancel: NOTHING };
  const known = knownClients.has(pair);
  const userWait = known ? 0 : perUsername.take(user);
  if (userWait) return { retryAfter: userWait, succeeded: NOTHING, cancel: NOTHING };

  const cancel = () => {
    perAddress.refund(address);
    if (!known) perUsername.refund(user);
  };
  return {
    retryAfter: 0,
    cancel,
    succeeded() {
      cancel();
      knownClients.set(pair, true);
    },
  };
}

/** Throws 429 (too many attempts) or 503 (hashing busy) with `Retry-After`. */
export function refuseLogin(event: H3Event, statusCode: 429 | 503, retryAfter: number): never {
  setResponseHeader(event, 'retry-after', retryAfter);
  const statusMessage = statusCode === 429 ? 'Too many login attempts' : 'Too many logins in progress';
  throw createError({ statusCode, statusMessage });
}
