import { DOCUMENT, isPlatformServer } from '@angular/common';
import { HttpClient } from '@angular/common/http';
import {
  DestroyRef,
  ErrorHandler,
  Injectable,
  PLATFORM_ID,
  TransferState,
  afterNextRender,
  computed,
  inject,
  makeStateKey,
  signal,
} from '@angular/core';
import { firstValueFrom } from 'rxjs';

import {
  SESSION_CROSS_TAB_CHANNEL,
  SESSION_FORWARDING_EXPECTED,
  SESSION_LOGOUT_URL,
  SESSION_REFRESH_ON_FOCUS,
  SESSION_SERVER_REQUEST,
  SESSION_SUMMARY_URL,
} from './session-config';
import { SESSION_FORWARDING_SEEN, sessionRequestContext } from './session-http-context';
import { isStaticRender } from './session-server-request';
import { SessionStatus, SessionSummary } from './session-summary';
import { SessionTabSync, connectSessionTabs } from './session-tab-sync';

/**
 * TransferState key under which the server hands its summary to the browser. The library sets it
 * itself because Angular's HTTP transfer cache skips this request twice over: it carries a forwarded
 * `cookie` header, and the summary endpoint answers `Cache-Control: no-store`.
 */
export const SESSION_SUMMARY_STATE_KEY = makeStateKey<SessionSummary>('@analog-tools/session-angular:summary');

/**
 * Present (true) next to the summary when the server render was not the visitor's own: a build-time prerender
 * or a render without an incoming request. Such a page is one static file for everyone, so the browser shows
 * its summary while hydrating and then reads the visitor's own.
 */
export const STATIC_SUMMARY_STATE_KEY = makeStateKey<boolean>('@analog-tools/session-angular:static-summary');

/**
 * The session as the browser (or the server, while rendering) sees it, read from the summary endpoint.
 *
 * ```ts
 * readonly session = inject(SessionService);
 * // template: @if (session.isAuthenticated()) { Hello {{ session.user()?.name }} }
 * ```
 */
@Injectable({ providedIn: 'root' })
export class SessionService<S extends SessionSummary = SessionSummary> {
  private readonly http = inject(HttpClient);
  private readonly transferState = inject(TransferState);
  private readonly isServer = isPlatformServer(inject(PLATFORM_ID));
  private readonly summaryUrl = inject(SESSION_SUMMARY_URL);
  private readonly logoutUrl = inject(SESSION_LOGOUT_URL);
  private readonly refreshOnFocusAfterMs = inject(SESSION_REFRESH_ON_FOCUS);
  private readonly forwardingExpected = inject(SESSION_FORWARDING_EXPECTED);
  private readonly errorHandler = inject(ErrorHandler);
  private readonly staticRender = this.isServer && isStaticRender(inject(SESSION_SERVER_REQUEST));

  private readonly _summary = signal<S | null>(null, { equal: sameJson });
  private readonly _status = signal<SessionStatus>('loading');

  /** The last summary read successfully, or null before the first one. */
  readonly summary = this._summary.asReadonly();
  /** `'loading'` until the first read, then `'authenticated'`, `'anonymous'`, or `'error'` when the last read failed. */
  readonly status = this._status.asReadonly();
  /** True when the status is `'authenticated'`. */
  readonly isAuthenticated = computed(() => this._status() === 'authenticated');
  /** The signed-in user, or null when not authenticated. */
  readonly user = computed<NonNullable<S['user']> | null>(() =>
    this.isAuthenticated() ? ((this._summary()?.user ?? null) as NonNullable<S['user']> | null) : null,
  );

  private pending: Promise<S> | null = null;
  private pendingIsRefresh = false;
  private generation = 0;
  private lastReadAt = 0;
  /** The summary shown came from a static page, not from this visitor: `ready()` waits for the visitor's own. */
  private provisional = false;
  private readonly tabs: SessionTabSync | null = null;

  constructor() {
    const transferred = this.isServer ? null : this.takeTransferredSummary();
    if (transferred) {
      // Applied even when static: hydration needs the state the server rendered with.
      this.apply(transferred.summary);
      this.lastReadAt = Date.now();
      if (transferred.isStatic) {
        this.provisional = true;
        afterNextRender(() => {
          if (this.provisional) this.read(false).catch(ignore);
        });
      }
    } else {
      this.read(false).catch(ignore);
    }

    if (!this.isServer) {
      const tabs = connectSessionTabs({
        window: inject(DOCUMENT).defaultView,
        channelName: inject(SESSION_CROSS_TAB_CHANNEL),
        listenForFocus: this.refreshOnFocusAfterMs !== false,
        onOtherTabChange: () => this.read(false).catch(ignore),
        onFocus: () => this.refreshIfStale(),
      });
      inject(DestroyRef).onDestroy(() => tabs.close());
      this.tabs = tabs;
    }
  }

  /**
   * Re-reads the summary (call it after login or session regeneration) and tells other tabs to do
   * the same. Concurrent refresh() calls share one request; a background read under way (first read,
   * focus, another tab) may predate the login, so refresh() starts its own instead.
   */
  async refresh(): Promise<S> {
    const summary = await this.read(!this.pendingIsRefresh, true);
    this.tabs?.announce();
    return summary;
  }

  /** POSTs the logout URL, then re-reads the summary and tells other tabs. Rejects if the POST fails. */
  async logout(): Promise<void> {
    await firstValueFrom(this.http.post(this.logoutUrl, null, { context: sessionRequestContext() }));
    try {
      // A read started before the POST may answer with the old session: start a new one.
      await this.read(true);
    } finally {
      this.tabs?.announce();
    }
  }

  /**
   * Resolves with the first summary read for this visitor (at once when there is one; a summary from a
   * prerendered page does not count). Rejects if that read fails; calling it again then starts a new read.
   */
  ready(): Promise<S> {
    const summary = this._summary();
    return summary && !this.provisional ? Promise.resolve(summary) : this.read(false);
  }

  private refreshIfStale(): void {
    const afterMs = this.refreshOnFocusAfterMs;
    if (afterMs !== false && Date.now() - this.lastReadAt >= afterMs) {
      this.read(false).catch(ignore);
    }
  }

  /** One read at a time; `force` starts a new one whose result wins over the one under way. */
  private read(force: boolean, isRefresh = false): Promise<S> {
    if (this.pending && !force) return this.pending;
    this.pendingIsRefresh = isRefresh;
    const generation = ++this.generation;
    this.lastReadAt = Date.now();
    const request = this.fetchSummary().then(
      (summary) => {
        if (generation === this.generation) {
          this.apply(summary);
          this.provisional = false;
          if (this.isServer) this.transfer(summary);
        }
        return summary;
      },
      (error: unknown) => {
        if (generation === this.generation) this._status.set('error');
        throw error;
      },
    );
    const settled = request.finally(() => {
      if (this.pending === settled) this.pending = null;
    });
    this.pending = settled;
    return settled;
  }

  private async fetchSummary(): Promise<S> {
    const options = { context: sessionRequestContext(), transferCache: false } as const;
    if (this.isServer) {
      // Read as text on the server: Analog's requestContextInterceptor stores every in-process answer
      // in TransferState and hands it to the first browser request with the same method, URL and
      // response type. A different response type keeps a later browser refresh (after a login, say)
      // from being answered with the summary of the server render.
      const text = await firstValueFrom(this.http.get(this.summaryUrl, { ...options, responseType: 'text' }));
      if (this.forwardingExpected && !options.context.get(SESSION_FORWARDING_SEEN)) throw this.reportUnforwarded();
      return this.check(JSON.parse(text));
    }
    return this.check(await firstValueFrom(this.http.get<unknown>(this.summaryUrl, options)));
  }

  private check(body: unknown): S {
    if (typeof body !== 'object' || body === null || typeof (body as S).authenticated !== 'boolean') {
      throw new Error(
        `[@analog-tools/session-angular] SessionService: GET ${this.summaryUrl} did not answer ` +
          `{ "authenticated": boolean }. Point withSummaryUrl() at the session summary endpoint.`,
      );
    }
    return body as S;
  }

  /**
   * The summary was answered before `sessionCookieForwardingInterceptor` saw it, so it is not the visitor's.
   * Failing the read leaves nothing in TransferState: the browser then reads the visitor's summary itself.
   * Reported through the ErrorHandler because nothing awaits the first read.
   */
  private reportUnforwarded(): Error {
    const error = new Error(
      `[@analog-tools/session-angular] SessionService: GET ${this.summaryUrl} was answered during server rendering ` +
        `before sessionCookieForwardingInterceptor saw it, so the page cannot show the visitor's session. In app.config.ts, ` +
        `replace provideHttpClient(...) with provideSession(withAnalog()) from '@analog-tools/session-angular/analog' ` +
        `(or list provideSession(withAnalog()) before it); with your own provideHttpClient(...), list ` +
        `sessionUnauthorizedInterceptor and sessionCookieForwardingInterceptor before requestContextInterceptor.`,
    );
    this.errorHandler.handleError(error);
    return error;
  }

  private transfer(summary: S): void {
    this.transferState.set(SESSION_SUMMARY_STATE_KEY, summary);
    if (this.staticRender) this.transferState.set(STATIC_SUMMARY_STATE_KEY, true);
  }

  /**
   * Shows a summary read or transferred. Protected for the subclass the lifecycle features (`withIdleTimeout()`,
   * `withSessionEvents()`) provide in its place, which also hands each summary to them.
   */
  protected apply(summary: S): void {
    this._summary.set(summary);
    this._status.set(summary.authenticated ? 'authenticated' : 'anonymous');
  }

  private takeTransferredSummary(): { summary: S; isStatic: boolean } | null {
    const summary = this.transferState.get(SESSION_SUMMARY_STATE_KEY, null);
    const isStatic = this.transferState.get(STATIC_SUMMARY_STATE_KEY, false);
    // Once only: later reads must reach the server.
    this.transferState.remove(SESSION_SUMMARY_STATE_KEY);
    this.transferState.remove(STATIC_SUMMARY_STATE_KEY);
    return summary ? { summary: summary as S, isStatic } : null;
  }
}

/** Same JSON, same summary: keeps effects that depend on `summary()` from re-running on identical reads. */
function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function ignore(): void {
  // The status signal already says 'error'; callers that care await refresh() or ready().
}
