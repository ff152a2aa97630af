import type { Storage } from 'unstorage';
import { isPending } from './internal/is-pending';
import { DEFAULT_MAX_SESSIONS_PER_USER, type SessionBackend, type SessionLimitPolicy } from './backend';
import type { SessionEventHook } from './session-events';
import { isSessionError, messageOf, SessionError } from './errors';
import type { SessionData } from './record';
import type { TelemetryOptions } from './telemetry';
import { createVerifiedCookieCache, type VerifiedCookieCache } from './verified-cookies';

export type { SessionData } from './record';

/** Where the published releases kept sessions, when they differ from the defaults. */
export interface LegacySessionOptions {
  /**
   * Store key prefixes the raw session ID was appended to: `''` for 0.0.6–0.0.24, `'<prefix>:'` for the
   * `UnstorageSessionStore` of 0.0.3–0.0.5 (whose prefix was `'sess'` unless configured).
   * @default ['', 'sess:']
   */
  prefixes?: readonly string[];
  /**
   * The user a legacy session belongs to, read from its data (e.g. `(data) => data.user?.id`). Adoption then binds
   * the new session to that user in the same step (see `setSessionUser`), so `revokeUserSessions` and
   * `listUserSessions` reach it; a legacy session adopted within a minute after that user's sessions were revoked
   * is refused and deleted. Without it, adopted sessions stay anonymous until the app binds them.
   * @default undefined (adopted sessions are not bound to a user)
   */
  userOf?: (data: Record<string, unknown>) => string | undefined;
}

/** Attributes of the session cookie. */
export interface CookieOptions {
  /** Cookie `Domain`. @default undefined (host-only cookie) */
  domain?: string;
  /** Cookie `Path`. @default '/' */
  path?: string;
  /**
   * Cookie `Secure`: sent over HTTPS only. Browsers accept Secure cookies from `http://localhost` too, so only
   * an app served over plain HTTP on another host needs `secure: false`. @default true
   */
  secure?: boolean;
  /** Cookie `HttpOnly`: hidden from client-side JavaScript. @default true */
  httpOnly?: boolean;
  /** Cookie `SameSite`. @default 'lax' */
  sameSite?: boolean | 'lax' | 'strict' | 'none';
  /** Cookie `Partitioned` (CHIPS). @default false */
  partitioned?: boolean;
}

/** Options of `config.csrf`: how unsafe requests (POST, PUT, PATCH, DELETE, ...) are checked. */
export interface CsrfOptions {
  /**
   * Take this server's scheme and host from the last `X-Forwarded-Proto` / `X-Forwarded-Host` value, for an app
   * behind a reverse proxy that sets them (and that nobody can reach around: anyone can send these headers).
   * @default false (the connection's scheme and the `Host` header)
   */
  trustProxy?: boolean;
  /**
   * Routes that accept unsafe requests from other sites (a webhook, a public form API): paths compared with the
   * request's path, exactly, or as a prefix when they end with `/`; or a function of the path.
   * @default none
   */
  ignore?: readonly string[] | ((path: string) => boolean);
  /**
   * Also refuse unsafe requests from another origin that carry no session, such as a login form posted from
   * another site (login CSRF). Browsers' cross-origin calls to a public API then need `ignore`.
   * @default false (only requests that carry a session cookie are checked)
   */
  anonymous?: boolean;
  /** Name of the token cookie, readable by the page's scripts. @default 'XSRF-TOKEN' (what Angular's HttpClient reads) */
  cookieName?: string;
  /** Request header that must carry the token. @default 'X-XSRF-TOKEN' (what Angular's HttpClient sends) */
  headerName?: string;
}

/** Options of {@link useSession} and {@link defineSessionMiddleware}. */
export interface SessionConfig<T extends SessionData = SessionData> {
  /**
   * unstorage `Storage` holding the session records, or the promise `createUnstorageStore()` returns (then
   * no top-level await is needed, which Nitro's default build target refuses).
   */
  store: Storage<any> | Promise<Storage<any>>;
  /**
   * Secret(s) for HMAC-SHA256 cookie signing, at least 32 characters each. The first one signs new cookies;
   * every one verifies, which allows rotation without logging anyone out. A function returning them is called
   * once, at the first request: on Cloudflare Workers, `secret: () => env.SESSION_SECRET` with
   * `import { env } from 'cloudflare:workers'` (without nodejs_compat, `process.env` is empty there).
   */
  secret: string | string[] | (() => string | string[]);
  /** Cookie name. @default 'connect.sid' */
  name?: string;
  /** Idle lifetime in seconds: a session unused for this long expires. Each use slides it. @default 86400 */
  maxAge?: number;
  /** Cookie attributes. @default { path: '/', httpOnly: true, sameSite: 'lax', secure: true } */
  cookie?: CookieOptions;
  /** Initial data of a new session. @default () => ({}) */
  generate?: () => T;
  /**
   * Persist new sessions (and set their cookie) even if the request never writes to them.
   * `false` keeps anonymous traffic free of store writes and cookies. @default false
   */
  saveUninitialized?: boolean;
  /** Prefix of the store keys. @default 'sess:' */
  prefix?: string;
  /** Absolute lifetime in seconds: caps a session however active it is. @default undefined (no cap) */
  absoluteTimeout?: number;
  /**
   * Seconds after the last write before a request that only reads re-writes the record to slide its expiry.
   * @default maxAge / 2
   */
  touchAfter?: number;
  /** Milliseconds a store operation may take before it fails with `STORAGE_ERROR`. @default 2000 */
  timeout?: number;
  /**
   * Seconds between sweeps that delete expired records, for drivers that do not expire keys themselves
   * (memory, fs, ...). The sweep runs in the background of a request; `false` turns it off. @default 600
   */
  pruneInterval?: number | false;
  /**
   * `Cache-Control` of every response of a request that carries a session (it presented a session cookie, or
   * created or wrote its session), so that no shared cache serves one user's page to another. Set when the
   * session is read, so a handler that sets its own `Cache-Control` afterwards overrides it. Requests without
   * a session cookie that never write keep whatever the app sets. `false` leaves the header alone.
   * @default 'private, no-store'
   */
  cacheControl?: string | false;
  /**
   * Adopt sessions left by the published `@analog-tools/session` 0.0.3–0.0.24 once, on their next request
   * (see "Upgrading" in the README); `false` turns it off, an object names other key prefixes.
   * @default true (throughout 0.x)
   */
  legacySessions?: boolean | LegacySessionOptions;
  /**
   * Sessions one user may have at once (see `setSessionUser`). What a login beyond it does is `sessionLimitPolicy`'s.
   * @default 100
   */
  maxSessionsPerUser?: number;
  /**
   * `'evict-oldest'`: a login beyond `maxSessionsPerUser` ends the user's session that expires first (its open event
   * streams are told `evicted`). `'deny-new'`: the login fails with `SessionError` `TOO_MANY_SESSIONS` (409) and
   * nothing is written, so the app can ask the user to sign out elsewhere. @default 'evict-oldest'
   */
  sessionLimitPolicy?: SessionLimitPolicy;
  /**
   * Idle lifetime in seconds of a session bound with `setSessionUser(event, id, { persistent: false })` ("remember
   * me" left unticked): its cookie has no Max-Age, so it ends with the browser, and it expires after this much idle
   * time on the server. At most `maxAge`. @default the smaller of maxAge and 7200
   */
  browserSessionMaxAge?: number;
  /**
   * Told every lifecycle event (created, regenerated, bound, unbound, revoked, destroyed, expired, evicted) once,
   * after the store confirmed it, on the instance that made it happen. The call that caused the event awaits the
   * hook (so on serverless hosts it is not cut off after the response): keep it quick, or do not await your own slow
   * work inside it. What it throws is logged and never fails the request. See the README's "Lifecycle events".
   * @default undefined
   */
  onEvent?: SessionEventHook;
  /**
   * OpenTelemetry spans and metrics of the store operations, writes and cookie checks (listed in the README,
   * "OpenTelemetry"). Left out: recorded through `@opentelemetry/api`'s global providers when that package is
   * installed and an SDK registered them, nothing wrapped when not. `false`: off. `true`: on, and a missing package
   * or SDK fails the first request. `{ tracer, meter }`: these (a missing one from the global providers).
   * @default undefined (on when `@opentelemetry/api` is installed and an SDK registered its providers)
   */
  telemetry?: boolean | TelemetryOptions;
  /**
   * Cross-site request forgery protection, on top of `SameSite=Lax`. An unsafe request (any method but GET, HEAD,
   * OPTIONS, TRACE) that carries a session cookie is refused with 403 (`CSRF_REFUSED`, before any store call, nothing
   * written) when `Origin` names another origin or `Sec-Fetch-Site` says another site, and when its session is live
   * but the `X-XSRF-TOKEN` header does not carry the session's token. The token is an HMAC of the session ID (no
   * store write), sent in an `XSRF-TOKEN` cookie scripts can read, and changes with the ID (regeneration, login).
   * Angular's `HttpClient` sends it with no configuration. `true` takes every default.
   * @default false
   */
  csrf?: boolean | CsrfOptions;
}

/** Defaults of {@link CsrfOptions}. */
export const DEFAULT_CSRF_OPTIONS = {
  trustProxy: false,
  anonymous: false,
  cookieName: 'XSRF-TOKEN',
  headerName: 'X-XSRF-TOKEN',
} as const;

/** `config.csrf` with every default applied. */
export interface ResolvedCsrfOptions {
  trustProxy: boolean;
  anonymous: boolean;
  cookieName: string;
  /** Lower case. */
  headerName: string;
  /** Whether the route of this path takes cross-site unsafe requests. */
  ignore: (path: string) => boolean;
  /** Tokens computed before, by session ID: a returning visitor skips the HMAC (figure in http/csrf.ts). */
  tokens: Map<string, string>;
}

/** Defaults merged under every {@link SessionConfig}. */
export const DEFAULT_SESSION_CONFIG = {
  name: 'connect.sid',
  maxAge: 86400,
  saveUninitialized: false,
  prefix: 'sess:',
  timeout: 2000,
  pruneInterval: 600,
  cacheControl: 'private, no-store',
} as const;

/** Default idle lifetime (seconds) of a session that is not remembered, when `maxAge` is longer. */
const DEFAULT_BROWSER_SESSION_MAX_AGE = 7200;

/** Defaults merged under every {@link CookieOptions}. */
export const DEFAULT_COOKIE_OPTIONS = {
  path: '/',
  secure: true,
  httpOnly: true,
  sameSite: 'lax',
} as const satisfies CookieOptions;

/** Minimum secret length, enforced unless NODE_ENV is development or test, where it warns. */
export const MIN_SECRET_LENGTH = 32;

/**
 * Fewest distinct characters a secret needs outside development. Random base64 of 32+ characters has about 25;
 * fewer than 8 means a placeholder ('a' repeated, spaces, a short pattern), not a secret.
 */
export const MIN_SECRET_DISTINCT_CHARACTERS = 8;

/** A validated config with every default applied. */
export interface ResolvedSessionConfig<T extends SessionData = SessionData> {
  /** The store, once known (at once, or when `config.store`'s promise has resolved). */
  store: Storage<any> | undefined;
  /** Resolves to the store; rejects with a `SessionError` when `config.store`'s promise did. */
  storeReady: Promise<Storage<any>>;
  secrets: readonly string[];
  name: string;
  maxAge: number;
  cookie: Required<Pick<CookieOptions, 'path' | 'httpOnly' | 'sameSite' | 'secure'>> & CookieOptions;
  generate: () => T;
  saveUninitialized: boolean;
  prefix: string;
  absoluteTimeout: number | undefined;
  touchAfter: number;
  timeout: number;
  pruneInterval: number | false;
  cacheControl: string | false;
  /** Cookies this config verified before: a returning visitor skips the HMAC and the key hash. */
  legacySessions: boolean | LegacySessionOptions;
  verifiedCookies: VerifiedCookieCache;
  /** `config.telemetry`, checked; stores/telemetry.ts resolves it at the first request. */
  telemetry: boolean | TelemetryOptions | undefined;
  /** `config.csrf`, undefined when off. */
  csrf: ResolvedCsrfOptions | undefined;
  /** The backend of `store` (observed when telemetry is on), once a request has needed it. */
  backend: SessionBackend | undefined;
  maxSessionsPerUser: number;
  sessionLimitPolicy: SessionLimitPolicy;
  browserSessionMaxAge: number;
  onEvent: SessionEventHook | undefined;
}

const resolved = new WeakMap<object, ResolvedSessionConfig<any>>();

function fail(caller: string, message: string): never {
  throw new SessionError('CONFIG_ERROR', `${caller}: ${message}`);
}

function positiveNumber(value: unknown, caller: string, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    fail(caller, `config.${option} must be a positive number of seconds, got ${String(value)}.`);
  }
  return value;
}

/** `NODE_ENV` values that declare a development or test run: only they relax the secret checks. */
const DEVELOPMENT_NODE_ENVS: readonly string[] = ['development', 'test'];

/**
 * The `NODE_ENV` of this process, or undefined where there is none (Deno without it set, a Worker bundled without
 * wrangler). wrangler writes it into a Worker's bundle: 'production' for `wrangler deploy`, 'development' for
 * `wrangler dev`, unless NODE_ENV was set when it bundled.
 */
function nodeEnv(): string | undefined {
  return (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['NODE_ENV'];
}

/**
 * Whether the run is declared a development or test one (`NODE_ENV` 'development' or 'test', as Vite, Nitro and
 * Nuxt dev servers, `wrangler dev` and Vitest set it). Anything else, an unset `NODE_ENV` included, is production:
 * a check that depended on `NODE_ENV=production` would never run where nobody sets it.
 */
function isDevelopment(): boolean {
  const env = nodeEnv();
  return env !== undefined && DEVELOPMENT_NODE_ENVS.includes(env);
}

/**
 * Validates a config once (results are cached per config object) and applies the defaults.
 * Throws a `SessionError` `CONFIG_ERROR` whose message names the fix for a missing store, an unusable secret
 * or an invalid option. Called at the first request, never when the middleware is defined: building and
 * prerendering run without the runtime secret and store.
 */
export function resolveSessionConfig<T extends SessionData>(config: SessionConfig<T>, caller = 'useSession()'): ResolvedSessionConfig<T> {
  const cached = resolved.get(config);
  if (cached) return cached;
  if (!config || typeof config !== 'object') fail(caller, 'a config object { store, secret } is required.');

  const checkStore = (store: unknown): Storage<any> => {
    const candidate = store as Storage<any> | undefined;
    if (!candidate || typeof candidate.getItem !== 'function' || typeof candidate.setItem !== 'function') {
      const db0 = candidate && typeof (candidate as { dialect?: unknown }).dialect === 'string' && 'prepare' in candidate;
      if (db0) {
        const wrap = "createUnstorageStore({ type: 'db0', options: { database } })";
        fail(caller, `config.store is a db0 Database, not an unstorage Storage. Wrap it: \`${wrap}\`.`);
      }
      fail(
        caller,
        'config.store is missing or is not an unstorage Storage. ' +
          "Create one with `createUnstorageStore({ type: 'redis', options: { url } })` (or { type: 'lru-cache' } in development).",
      );
    }
    return candidate;
  };
  const pending = isPending(config.store) ? (config.store as Promise<Storage<any>>) : undefined;
  const store = pending ? undefined : checkStore(config.store);

  const secret: unknown = typeof config.secret === 'function' ? config.secret() : config.secret;
  const secrets = (Array.isArray(secret) ? secret : [secret]) as unknown[];
  if (secrets.length === 0 || secrets.some((s) => typeof s !== 'string' || s.length === 0)) {
    const onWorkers = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === 'Cloudflare-Workers';
    fail(
      caller,
      'config.secret must be a non-empty string (or an array of them). Generate one with `openssl rand -base64 48` and pass it ' +
        (onWorkers
          ? "at run time from the Worker's env: secret: () => env.SESSION_SECRET, with import { env } from 'cloudflare:workers' " +
            '(process.env is empty at module load without nodejs_compat; set it with `wrangler secret put SESSION_SECRET`).'
          : "at run time through an environment variable, e.g. secret: process.env['SESSION_SECRET'] (building needs none)."),
    );
  }
  const short = (secrets as string[]).find((s) => s.length < MIN_SECRET_LENGTH);
  const weak = (secrets as string[]).find((s) => new Set(s).size < MIN_SECRET_DISTINCT_CHARACTERS);
  if (short !== undefined || weak !== undefined) {
    const problem =
      short !== undefined
        ? `config.secret must be at least ${MIN_SECRET_LENGTH} characters (got ${short.length}).`
        : `config.secret has only ${new Set(weak).size} distinct characters: it is a placeholder, not a secret.`;
    const fix = 'Generate one with `openssl rand -base64 48` and pass it through an environment variable such as SESSION_SECRET';
    const env = nodeEnv() === undefined ? 'NODE_ENV is not set' : `NODE_ENV is ${JSON.stringify(nodeEnv())}`;
    if (!isDevelopment()) {
      fail(caller, `${problem} ${fix}. Such a secret is accepted only in development (NODE_ENV 'development' or 'test'); here ${env}.`);
    }
    // Once per config object: resolution is cached per config, so this does not repeat on every request.
    console.warn(`[@analog-tools/session] ${caller}: ${problem} ${fix}. Outside development (${env} here) it is refused.`);
  }

  const maxAge = positiveNumber(config.maxAge, caller, 'maxAge') ?? DEFAULT_SESSION_CONFIG.maxAge;
  const absoluteTimeout = positiveNumber(config.absoluteTimeout, caller, 'absoluteTimeout');
  const touchAfter = config.touchAfter === 0 ? 0 : (positiveNumber(config.touchAfter, caller, 'touchAfter') ?? maxAge / 2);
  const pruneInterval =
    config.pruneInterval === false
      ? false
      : (positiveNumber(config.pruneInterval, caller, 'pruneInterval') ?? DEFAULT_SESSION_CONFIG.pruneInterval);
  const timeout = config.timeout ?? DEFAULT_SESSION_CONFIG.timeout;
  if (typeof timeout !== 'number' || !(timeout > 0))
    fail(caller, `config.timeout must be a positive number of milliseconds, got ${String(timeout)}.`);

  const cacheControl = config.cacheControl ?? DEFAULT_SESSION_CONFIG.cacheControl;
  if (cacheControl !== false && (typeof cacheControl !== 'string' || cacheControl.trim() === '')) {
    const got = JSON.stringify(cacheControl);
    fail(caller, `config.cacheControl must be a Cache-Control value such as 'private, no-store', or false, got ${got}.`);
  }

  const name = config.name ?? DEFAULT_SESSION_CONFIG.name;
  if (typeof name !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
    fail(caller, `config.name must be a valid cookie name (letters, digits and !#$%&'*+-.^_\`|~), got ${JSON.stringify(name)}.`);
  }
  const maxSessionsPerUser = config.maxSessionsPerUser ?? DEFAULT_MAX_SESSIONS_PER_USER;
  if (!Number.isSafeInteger(maxSessionsPerUser) || maxSessionsPerUser < 1) {
    fail(caller, `config.maxSessionsPerUser must be a positive whole number, got ${String(config.maxSessionsPerUser)}.`);
  }
  const sessionLimitPolicy = config.sessionLimitPolicy ?? 'evict-oldest';
  if (sessionLimitPolicy !== 'evict-oldest' && sessionLimitPolicy !== 'deny-new') {
    fail(caller, `config.sessionLimitPolicy must be 'evict-oldest' or 'deny-new', got ${JSON.stringify(sessionLimitPolicy)}.`);
  }
  const browserSessionMaxAge = Math.min(
    maxAge,
    positiveNumber(config.browserSessionMaxAge, caller, 'browserSessionMaxAge') ?? DEFAULT_BROWSER_SESSION_MAX_AGE,
  );
  if (config.onEvent !== undefined && typeof config.onEvent !== 'function') {
    fail(caller, `config.onEvent must be a function (event) => void, got ${typeof config.onEvent}.`);
  }
  const cookie = resolveCookieOptions(caller, config.cookie);
  checkCookiePrefix(caller, name, cookie);
  const csrf = resolveCsrfOptions(caller, config.csrf);

  const { telemetry } = config;
  const tracerOk = (t: unknown) => t === undefined || typeof (t as { startSpan?: unknown })?.startSpan === 'function';
  const meterOk = (m: unknown) => m === undefined || typeof (m as { createHistogram?: unknown })?.createHistogram === 'function';
  if (
    !(telemetry === undefined || typeof telemetry === 'boolean') &&
    !(telemetry && typeof telemetry === 'object' && tracerOk(telemetry.tracer) && meterOk(telemetry.meter))
  ) {
    fail(
      caller,
      'config.telemetry must be true, false or { tracer, meter } with an OpenTelemetry Tracer and Meter ' +
        "(e.g. { tracer: trace.getTracer('app'), meter: metrics.getMeter('app') } from @opentelemetry/api).",
    );
  }

  const result: ResolvedSessionConfig<T> = {
    store,
    storeReady: store ? Promise.resolve(store) : (undefined as never),
    secrets: secrets as string[],
    name,
    maxAge,
    cookie,
    generate: config.generate ?? (() => ({}) as T),
    saveUninitialized: config.saveUninitialized ?? DEFAULT_SESSION_CONFIG.saveUninitialized,
    prefix: config.prefix ?? DEFAULT_SESSION_CONFIG.prefix,
    absoluteTimeout,
    touchAfter,
    timeout,
    pruneInterval,
    cacheControl,
    legacySessions: config.legacySessions ?? true,
    verifiedCookies: createVerifiedCookieCache(),
    telemetry,
    csrf,
    backend: undefined,
    maxSessionsPerUser,
    sessionLimitPolicy,
    browserSessionMaxAge,
    onEvent: config.onEvent,
  };
  if (pending) {
    result.storeReady = pending.then(
      (value) => (result.store = checkStore(value)),
      (error: unknown) => {
        throw isSessionError(error) ? error : storeInitError(caller, error);
      },
    );
    // Each request awaits it and gets the error; this only keeps a rejection from being reported as unhandled.
    result.storeReady.catch(() => undefined);
  }
  resolved.set(config, result);
  return result;
}

/**
 * The cookie options over their defaults. An option given as `undefined` (`secure: env.X === 'true' || undefined`)
 * keeps its default: a plain spread would drop `Secure` or `HttpOnly` silently. `sameSite` is lower-cased, so
 * `'None'` meets the same checks as `'none'`.
 */
function resolveCookieOptions(caller: string, given: CookieOptions | undefined): ResolvedSessionConfig['cookie'] {
  const cookie: ResolvedSessionConfig['cookie'] = { ...DEFAULT_COOKIE_OPTIONS };
  for (const [option, value] of Object.entries(given ?? {})) if (value !== undefined) Object.assign(cookie, { [option]: value });
  const sameSite: unknown = cookie.sameSite;
  if (typeof sameSite === 'string') {
    const lower = sameSite.toLowerCase();
    if (lower !== 'lax' && lower !== 'strict' && lower !== 'none') {
      fail(caller, `cookie.sameSite must be 'lax', 'strict', 'none' or a boolean, got ${JSON.stringify(sameSite)}.`);
    }
    cookie.sameSite = lower;
  }
  // Browsers drop a SameSite=None or a Partitioned cookie that is not Secure: the session would never stick.
  if (cookie.sameSite === 'none' && !cookie.secure) {
    fail(caller, "cookie.sameSite 'none' requires cookie.secure: true (browsers drop such cookies otherwise).");
  }
  if (cookie.partitioned && !cookie.secure) {
    fail(caller, 'cookie.partitioned requires cookie.secure: true (browsers drop such cookies otherwise). Remove secure: false.');
  }
  return cookie;
}

const TOKEN_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** `config.csrf` over its defaults, or undefined when off. */
function resolveCsrfOptions(caller: string, given: SessionConfig['csrf']): ResolvedCsrfOptions | undefined {
  if (given === undefined || given === false) return undefined;
  if (given !== true && (given === null || typeof given !== 'object')) {
    fail(caller, `config.csrf must be true, false or an options object, got ${JSON.stringify(given)}.`);
  }
  const options = given === true ? {} : given;
  const cookieName = options.cookieName ?? DEFAULT_CSRF_OPTIONS.cookieName;
  const headerName = options.headerName ?? DEFAULT_CSRF_OPTIONS.headerName;
  for (const [option, value] of [
    ['cookieName', cookieName],
    ['headerName', headerName],
  ] as const) {
    if (typeof value !== 'string' || !TOKEN_NAME.test(value)) {
      fail(
        caller,
        `config.csrf.${option} must be a valid ${option === 'cookieName' ? 'cookie' : 'header'} name, got ${JSON.stringify(value)}.`,
      );
    }
  }
  return {
    trustProxy: options.trustProxy === true,
    anonymous: options.anonymous === true,
    cookieName,
    headerName: headerName.toLowerCase(),
    ignore: ignoredPaths(caller, options.ignore),
    tokens: new Map(),
  };
}

function ignoredPaths(caller: string, ignore: CsrfOptions['ignore']): (path: string) => boolean {
  if (ignore === undefined) return () => false;
  if (typeof ignore === 'function') return (path) => ignore(path) === true;
  if (!Array.isArray(ignore) || ignore.some((path) => typeof path !== 'string' || !path.startsWith('/'))) {
    fail(
      caller,
      "config.csrf.ignore must be a list of paths starting with '/' (a prefix when it ends with '/'), or a function of the path.",
    );
  }
  const exact = new Set(ignore.filter((path) => !path.endsWith('/')));
  const prefixes = ignore.filter((path) => path.endsWith('/'));
  return (path) => exact.has(path) || prefixes.some((prefix) => path.startsWith(prefix));
}

/**
 * Browsers silently drop a `__Host-` cookie that is not Secure, has a Domain or a Path other than `/`, and a
 * `__Secure-` one that is not Secure (names compared case-insensitively): the session would never stick.
 */
function checkCookiePrefix(caller: string, name: string, cookie: CookieOptions): void {
  const lower = name.toLowerCase();
  const host = lower.startsWith('__host-');
  if (!host && !lower.startsWith('__secure-')) return;
  const prefix = host ? '__Host-' : '__Secure-';
  const refuse = (rule: string, fix: string) => fail(caller, `a ${prefix} cookie name (${name}) ${rule}. ${fix}, or rename the cookie.`);
  if (!cookie.secure) refuse('requires cookie.secure: true', 'Remove secure: false');
  if (host && cookie.domain !== undefined) refuse('forbids cookie.domain', 'Remove the domain');
  if (host && cookie.path !== '/') refuse("requires cookie.path '/'", 'Remove the path');
}

/** The error of a store promise that rejected: the driver could not be created (e.g. a missing package). */
export function storeInitError(caller: string, error: unknown): SessionError {
  const message = `${caller}: config.store failed to initialize: ${messageOf(error)}`;
  return new SessionError('STORAGE_ERROR', message, undefined, { cause: error });
}
