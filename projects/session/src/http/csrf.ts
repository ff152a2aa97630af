// Cross-site request forgery protection (`config.csrf`): an origin check of unsafe requests, and a token bound to
// the session (an HMAC of its ID) that a page's scripts read from a cookie and send back in a header, as Angular's
// HttpClient does by default. Another site can make a browser send the session cookie, but can neither read the
// token cookie nor set a custom header on a cross-site form or a CORS-less fetch.
import { serialize } from 'cookie-es';
import type { ResolvedCsrfOptions, ResolvedSessionConfig } from '../core/config';
import { getCryptoBackend } from '../core/crypto';
import { SessionError } from '../core/errors';
import type { SessionState } from '../core/state';
import { requestHeader, requestMethod, requestUrl, setCookieHeader, type SessionEvent } from './event';
import { asHostError } from './host-error';
import { readSessionCookies } from './request-cookies';

/** Methods that must not change state, never refused (RFC 9110). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/** `Sec-Fetch-Site` values of a request the site itself made, or the user typed. */
const SAME_ORIGIN_FETCH = new Set(['same-origin', 'none']);

/**
 * What the token HMACs, before the session ID. It differs from the cookie signature's context
 * (`@analog-tools/session:`) at its 22nd character, so a token never verifies as a signed cookie, nor the reverse.
 */
const TOKEN_CONTEXT = '@analog-tools/session-xsrf:';

/**
 * The origin check of `config.csrf`, before any store call. Returns whether the request is guarded (an unsafe method
 * on a route not in `ignore`): its live session then needs its token (checkSessionToken). A guarded request that
 * carries a session cookie (any request, with `anonymous`) is refused (403) when a browser says it comes from
 * elsewhere: `Sec-Fetch-Site` other than `same-origin` or `none`, or an `Origin` (`null` included) other than this
 * server's origin, scheme and port included. A request with neither header is no browser's cross-site request (every
 * current browser sends `Origin` on an unsafe one): the token decides.
 */
export function guardRequest(event: SessionEvent, csrf: ResolvedCsrfOptions, carriesSession: boolean): boolean {
  if (SAFE_METHODS.has(requestMethod(event))) return false;
  const url = requestUrl(event);
  if (url !== undefined && csrf.ignore(url.pathname)) return false;
  if (!carriesSession && !csrf.anonymous) return true;
  const fetchSite = requestHeader(event, 'sec-fetch-site');
  if (fetchSite !== undefined && !SAME_ORIGIN_FETCH.has(fetchSite.toLowerCase())) refuse(`Sec-Fetch-Site is '${fetchSite}'`);
  const origin = requestHeader(event, 'origin');
  if (origin !== undefined && origin.toLowerCase() !== serverOrigin(event, url, csrf.trustProxy)) {
    refuse('the Origin header names another origin');
  }
  return true;
}

/**
 * The origin this request was sent to, `scheme://host[:port]` as a browser writes it in `Origin`: the request URL's,
 * or with `trustProxy` the one of the last `X-Forwarded-Proto` / `X-Forwarded-Host` values (what the proxy appended,
 * not what the client sent before it). Null when that makes no http(s) origin.
 */
function serverOrigin(event: SessionEvent, url: URL | undefined, trustProxy: boolean): string | null {
  const proto = trustProxy ? lastValue(requestHeader(event, 'x-forwarded-proto')) : undefined;
  const host = trustProxy ? lastValue(requestHeader(event, 'x-forwarded-host')) : undefined;
  // An opaque URL's origin is the string 'null', which `Origin: null` would match.
  if (proto === undefined && host === undefined) return url?.protocol === 'http:' || url?.protocol === 'https:' ? url.origin : null;
  const scheme = proto ?? url?.protocol.slice(0, -1);
  const authority = host ?? url?.host;
  if (!authority || (scheme !== 'http' && scheme !== 'https')) return null;
  try {
    return new URL(`${scheme}://${authority}`).origin;
  } catch {
    return null;
  }
}

function lastValue(header: string | undefined): string | undefined {
  return header?.split(',').pop()?.trim().toLowerCase() || undefined;
}

function refuse(why: string): never {
  throw asHostError(new SessionError('CSRF_REFUSED', `csrf: ${why}; nothing was read or written.`));
}

/** The session's token under `secret`: base64url of an HMAC-SHA256 of the ID. */
function tokenOf(secret: string, id: string): string | Promise<string> {
  return getCryptoBackend().hmac(secret, TOKEN_CONTEXT + id);
}

/** How many tokens a config remembers (as many as verified cookies): the oldest is forgotten first. */
const TOKEN_CACHE_SIZE = 10_000;

/**
 * The token of the request's session under the first secret: kept on the state, and remembered by the config for the
 * session's next requests. Saves the HMAC of a returning visitor: with csrf on, a read took 3.5 µs of CPU without
 * this cache and 1.6 µs with it (1.3 µs with csrf off; bench/micro-csrf.mjs).
 */
function sessionToken(state: SessionState<any>): string | Promise<string> {
  const id = state.id!;
  if (state.xsrf?.id === id) return state.xsrf.token;
  const { tokens } = state.config.csrf!;
  const known = tokens.get(id);
  if (known !== undefined) return (state.xsrf = { id, token: known }).token;
  const remember = (token: string) => {
    if (tokens.size >= TOKEN_CACHE_SIZE) tokens.delete(tokens.keys().next().value!);
    tokens.set(id, token);
    return (state.xsrf = { id, token }).token;
  };
  const token = tokenOf(state.config.secrets[0]!, id);
  return typeof token === 'string' ? remember(token) : token.then(remember);
}

/**
 * The token check of a request whose session is live: a guarded request must carry the session's token in the
 * header (one made under an older secret still passes), else 403 and nothing is written. Then, when the request's
 * token cookie is not the session's, the response sets it. A promise only with WebCrypto or a token to re-check.
 */
export function checkSessionToken(event: SessionEvent, state: SessionState<any>, guarded: boolean): Promise<void> | void {
  const token = sessionToken(state);
  if (typeof token !== 'string') return token.then((value) => afterToken(event, state, guarded, value));
  return afterToken(event, state, guarded, token);
}

function afterToken(event: SessionEvent, state: SessionState<any>, guarded: boolean, token: string): Promise<void> | void {
  const csrf = state.config.csrf!;
  const sent = guarded ? requestHeader(event, csrf.headerName) : undefined;
  if (guarded && (sent === undefined || !getCryptoBackend().equal(sent, token))) {
    return acceptedUnderOlderSecret(state, sent).then((accepted) => {
      if (!accepted) refuse(`the ${csrf.headerName} header does not carry this session's token`);
      issueIfMissing(event, state.config, token);
    });
  }
  issueIfMissing(event, state.config, token);
}

async function acceptedUnderOlderSecret(state: SessionState<any>, sent: string | undefined): Promise<boolean> {
  const older = state.config.secrets.slice(1);
  if (sent === undefined || older.length === 0) return false;
  const { equal } = getCryptoBackend();
  for (const secret of older) if (equal(sent, await tokenOf(secret, state.id!))) return true;
  return false;
}

/** Sets the token cookie unless the request carried exactly this one. */
function issueIfMissing(event: SessionEvent, config: ResolvedSessionConfig<any>, token: string): void {
  const sent = readSessionCookies(event, config.csrf!.cookieName);
  if (sent.length !== 1 || sent[0] !== token) setTokenCookie(event, config, token);
}

/** Sets the token cookie of the request's session (after its session cookie was set with a new ID, say). */
export function writeTokenCookie(event: SessionEvent, state: SessionState<any>): Promise<void> | void {
  const token = sessionToken(state);
  if (typeof token === 'string') return setTokenCookie(event, state.config, token);
  return token.then((value) => setTokenCookie(event, state.config, value));
}

/** Expires the token cookie, with the session cookie. */
export function clearTokenCookie(event: SessionEvent, config: ResolvedSessionConfig<any>): void {
  setTokenCookie(event, config, '', 0);
}

/**
 * The token cookie: readable by scripts (it is no secret from the page, only from other sites), `Path=/` so every
 * page reads it, otherwise the session cookie's attributes. No Max-Age: a browser that drops it on restart gets it
 * back with the first response of a request carrying the session (the page load, before any script posts).
 */
function setTokenCookie(event: SessionEvent, config: ResolvedSessionConfig<any>, token: string, maxAge?: number): void {
  const { cookieName } = config.csrf!;
  const { domain, secure, sameSite, partitioned } = config.cookie;
  const attributes = { path: '/', domain, secure, sameSite, partitioned, httpOnly: false, ...(maxAge === undefined ? {} : { maxAge }) };
  setCookieHeader(event, cookieName, serialize(cookieName, token, attributes));
}
