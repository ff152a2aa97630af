import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createUnstorageStore, type SessionConfig } from '@analog-tools/session';
import { trustsProxy } from './utils/proxy-headers';
import { sessionCookieSettings } from './utils/session-cookie';
import { sessionLimitSettings } from './utils/session-limits';

/** What the demo keeps in a session. `user` and `loginAt` are set at login, `visits` by POST /api/visits. */
export interface DemoSession extends Record<string, unknown> {
  user?: { id: string; name: string };
  loginAt?: number;
  visits?: number;
}

/**
 * Folder for the embedded store and the generated secret.
 * @default `.data/` under the directory the server was started from (the repo root for `npm start`)
 */
export const dataDir = resolve(process.env['SESSION_DATA_DIR'] || '.data');

/**
 * The signing secret: SESSION_SECRET when set, otherwise a random one generated on first start and kept in
 * the data dir (mode 0600), so that sessions survive a restart of `npm start` without any setup.
 */
function loadSecret(): string {
  const fromEnv = process.env['SESSION_SECRET'];
  if (fromEnv) return fromEnv;
  const file = join(dataDir, 'session-secret');
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx' fails when the file exists, so two servers started together keep the first secret written.
    writeFileSync(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}

const redisUrl = process.env['REDIS_URL'];

/** Which store holds the sessions: `redis` when REDIS_URL is set, else SESSION_STORE (`sqlite`, the default, or `fs`). */
export const storeKind: 'redis' | 'sqlite' | 'fs' = redisUrl ? 'redis' : process.env['SESSION_STORE'] === 'fs' ? 'fs' : 'sqlite';

/**
 * Where sessions live: Redis when REDIS_URL is set (its options make an outage fail fast and recover fast); otherwise
 * the SQLite file `<dataDir>/sessions.db` (WAL: several server processes can share it), or with SESSION_STORE=fs files
 * under `<dataDir>/sessions`. A promise: the session config accepts one, so this module needs no top-level await.
 */
export const sessionStore =
  storeKind === 'redis'
    ? createUnstorageStore({ type: 'redis', options: { url: redisUrl!, retryStrategy: () => 100, maxRetriesPerRequest: 1 } })
    : storeKind === 'fs'
      ? createUnstorageStore({ type: 'fs', options: { base: join(dataDir, 'sessions') } })
      : sqliteStore(join(dataDir, 'sessions.db'));

async function sqliteStore(file: string) {
  mkdirSync(dataDir, { recursive: true });
  const [{ createDatabase }, { default: libsql }] = await Promise.all([import('db0'), import('db0/connectors/libsql/node')]);
  return createUnstorageStore({ type: 'db0', options: { database: createDatabase(libsql({ url: `file:${file}` })) } });
}

const cookie = sessionCookieSettings();
// SESSION_MAX_PER_USER / SESSION_LIMIT_POLICY, checked at start (utils/session-limits.ts); unset: the library's defaults.
const limits = sessionLimitSettings();

/** The one session configuration shared by the middleware and the handlers. */
export const sessionConfig: SessionConfig<DemoSession> = {
  store: sessionStore,
  secret: loadSecret(),
  maxAge: 60 * 60 * 24 * 7,
  // "Last seen" in "Your sessions" is the record's last write: a session that is only read is re-written at most
  // every 5 minutes (the default, maxAge / 2, would leave it days behind).
  touchAfter: 60 * 5,
  ...limits,
  // `__Host-sid` + Secure unless SESSION_COOKIE_SECURE=false (utils/session-cookie.ts).
  name: cookie.name,
  cookie: {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: cookie.secure,
  },
  // CSRF defence on top of SameSite=Lax: a state-changing request must come from the demo's own origin (scheme,
  // host and port), and one carrying a session must send its XSRF-TOKEN cookie back in X-XSRF-TOKEN, which Angular's
  // HttpClient does by itself. `anonymous` checks the origin of the login form's POST too (login CSRF). Behind a
  // reverse proxy, TRUST_PROXY=true takes the origin from X-Forwarded-Proto / X-Forwarded-Host.
  csrf: { anonymous: true, trustProxy: trustsProxy() },
};

/** "Sign out everywhere else" needs a sign-in within this many seconds (requireFreshSession). */
export const STEP_UP_MAX_AGE = 5 * 60;
