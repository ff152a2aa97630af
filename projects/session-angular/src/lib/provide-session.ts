import { HttpRequest } from '@angular/common/http';
import { EnvironmentProviders, Provider, inject, makeEnvironmentProviders, provideEnvironmentInitializer } from '@angular/core';

import {
  DEFAULT_SESSION_CLIENT_CONFIG,
  SESSION_COOKIE_FORWARDING_FILTER,
  SESSION_CROSS_TAB_CHANNEL,
  SESSION_FORWARDING_EXPECTED,
  SESSION_LOGOUT_URL,
  SESSION_REFRESH_ON_FOCUS,
  SESSION_SERVER_ORIGIN,
  SESSION_SERVER_REQUEST,
  SESSION_SUMMARY_URL,
  SESSION_UNAUTHORIZED_REFRESH,
  SESSION_XSRF,
} from './session-config';
import { SessionServerRequest, parseOrigin, requestOrigin } from './session-server-request';
import { SessionService } from './session.service';

/** Identifies a `provideSession()` feature. */
export type SessionFeatureKind =
  | 'summary-url'
  | 'logout-url'
  | 'refresh-on-focus'
  | 'cross-tab-sync'
  | 'unauthorized-refresh'
  | 'server-cookie-forwarding'
  | 'xsrf'
  | 'analog';

/** A feature of `provideSession()`, made by one of the `with*()` functions. */
export interface SessionFeature<K extends SessionFeatureKind = SessionFeatureKind> {
  readonly kind: K;
  readonly providers: Array<Provider | EnvironmentProviders>;
}

/** Options of `withServerCookieForwarding()`. */
export interface ServerCookieForwardingOptions {
  /**
   * Returns the incoming request, called in an injection context. Under Analog pass `injectRequest`
   * from `@analogjs/router/tokens` (a Node `IncomingMessage`).
   * @default reads Angular's `REQUEST` token from `@angular/core` (a Fetch `Request`)
   */
  request?: () => SessionServerRequest | null | undefined;
  /**
   * The server's own origin (`https://app.example`), called in an injection context: absolute URLs on it get
   * the cookie like relative ones. Under Analog, `injectBaseURL` from `@analogjs/router/tokens`.
   * @default the origin of the incoming request (its URL, or its `Host` header and protocol)
   */
  origin?: () => string | null | undefined;
  /**
   * Which outgoing requests get the cookie.
   * @default same-origin URLs (relative ones and absolute ones on `origin`) and the summary and logout URLs
   */
  shouldForward?: (req: HttpRequest<unknown>) => boolean;
}

/**
 * Sets up the session client: starts the first summary read when the app boots and applies the
 * features. Every setting has a default, so `provideSession()` alone works (and `SessionService`
 * works without it, read lazily on first injection).
 *
 * ```ts
 * provideSession(withSummaryUrl('/api/session'), withCrossTabSync(false))
 * ```
 *
 * In an Analog app, `provideSession(withAnalog())` from `@analog-tools/session-angular/analog` also sets up
 * `HttpClient` and the server-side cookie forwarding.
 */
export function provideSession(...features: SessionFeature[]): EnvironmentProviders {
  const kinds = new Set<SessionFeatureKind>();
  for (const feature of features) {
    if (kinds.has(feature.kind)) {
      throw new Error(`[@analog-tools/session-angular] provideSession(): the '${feature.kind}' feature was passed twice. Keep one.`);
    }
    kinds.add(feature.kind);
  }
  return makeEnvironmentProviders([
    features.map((feature) => feature.providers),
    provideEnvironmentInitializer(() => {
      inject(SessionService);
    }),
  ]);
}

function feature<K extends SessionFeatureKind>(kind: K, providers: Provider[]): SessionFeature<K> {
  return { kind, providers };
}

/** URL of the GET summary endpoint. @default '/api/session' */
export function withSummaryUrl(url: string = DEFAULT_SESSION_CLIENT_CONFIG.summaryUrl): SessionFeature<'summary-url'> {
  return feature('summary-url', [{ provide: SESSION_SUMMARY_URL, useValue: url }]);
}

/** URL of the POST logout endpoint. @default '/api/auth/logout' */
export function withLogoutUrl(url: string = DEFAULT_SESSION_CLIENT_CONFIG.logoutUrl): SessionFeature<'logout-url'> {
  return feature('logout-url', [{ provide: SESSION_LOGOUT_URL, useValue: url }]);
}

/**
 * Re-read the summary when the tab regains focus or becomes visible, at least `afterMs` after the
 * last read; `false` turns it off. On by default. @default 30_000
 */
export function withRefreshOnFocus(
  afterMs: number | false = DEFAULT_SESSION_CLIENT_CONFIG.refreshOnFocusAfterMs,
): SessionFeature<'refresh-on-focus'> {
  return feature('refresh-on-focus', [{ provide: SESSION_REFRESH_ON_FOCUS, useValue: afterMs }]);
}

/**
 * Tell the other tabs of this origin, over a BroadcastChannel of this name, when `refresh()` or
 * `logout()` ran, so they re-read the summary; `false` turns it off. On by default. @default 'analog-session'
 */
export function withCrossTabSync(
  channelName: string | false = DEFAULT_SESSION_CLIENT_CONFIG.crossTabChannel,
): SessionFeature<'cross-tab-sync'> {
  return feature('cross-tab-sync', [{ provide: SESSION_CROSS_TAB_CHANNEL, useValue: channelName }]);
}

/**
 * Let `sessionUnauthorizedInterceptor` re-read the summary when an API call answers 401; `false`
 * turns it off. On by default, once the interceptor is registered in `withInterceptors()`. @default true
 */
export function withUnauthorizedRefresh(
  enabled: boolean = DEFAULT_SESSION_CLIENT_CONFIG.unauthorizedRefresh,
): SessionFeature<'unauthorized-refresh'> {
  return feature('unauthorized-refresh', [{ provide: SESSION_UNAUTHORIZED_REFRESH, useValue: enabled }]);
}

/** Options of `withXsrf()`: the names the server's `csrf` option uses, when it renamed them. */
export interface SessionXsrfOptions {
  /** Cookie carrying the session's token. @default 'XSRF-TOKEN' */
  cookieName?: string;
  /** Header the token is sent in. @default 'X-XSRF-TOKEN' */
  headerName?: string;
}

/**
 * The session's CSRF token (the server's `csrf` option): the cookie `sessionXsrfInterceptor` reads and the header it
 * sets on unsafe requests to absolute same-origin URLs, and the header server rendering forwards from the incoming
 * cookie; `false` turns both off. Angular's `HttpClient` sends the token on relative URLs itself: rename its names too
 * with `withXsrfConfiguration()`. On by default with Angular's names. @default { cookieName: 'XSRF-TOKEN', headerName: 'X-XSRF-TOKEN' }
 */
export function withXsrf(options: SessionXsrfOptions | false = {}): SessionFeature<'xsrf'> {
  const settings =
    options === false
      ? false
      : {
          cookieName: options.cookieName ?? DEFAULT_SESSION_CLIENT_CONFIG.xsrfCookieName,
          headerName: options.headerName ?? DEFAULT_SESSION_CLIENT_CONFIG.xsrfHeaderName,
        };
  return feature('xsrf', [{ provide: SESSION_XSRF, useValue: settings }]);
}

/**
 * Where `sessionCookieForwardingInterceptor` finds the incoming request during server rendering, and
 * which outgoing requests get its cookie. Without this feature it reads Angular's `REQUEST` token.
 * With it, a server render whose summary read did not pass the interceptor (not registered, or registered
 * after Analog's `requestContextInterceptor`) fails that read and reports the fix through the `ErrorHandler`.
 *
 * ```ts
 * import { injectBaseURL, injectRequest } from '@analogjs/router/tokens';
 * provideSession(withServerCookieForwarding({ request: injectRequest, origin: injectBaseURL }))
 * ```
 */
export function withServerCookieForwarding(options: ServerCookieForwardingOptions = {}): SessionFeature<'server-cookie-forwarding'> {
  const { request, origin, shouldForward } = options;
  const providers: Provider[] = [{ provide: SESSION_FORWARDING_EXPECTED, useValue: true }];
  if (request) providers.push({ provide: SESSION_SERVER_REQUEST, useFactory: () => request() ?? null });
  if (origin) {
    providers.push({
      provide: SESSION_SERVER_ORIGIN,
      useFactory: () => parseOrigin(origin()) ?? requestOrigin(inject(SESSION_SERVER_REQUEST)),
    });
  }
  if (shouldForward) providers.push({ provide: SESSION_COOKIE_FORWARDING_FILTER, useValue: shouldForward });
  return feature('server-cookie-forwarding', providers);
}
