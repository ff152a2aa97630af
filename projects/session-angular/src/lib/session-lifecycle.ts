import { Signal } from '@angular/core';

import { SessionStatus, SessionSummary } from './session-summary';

/*
 * What the lifecycle features (`withIdleTimeout()`, `withSessionEvents()`) add, and how they reach `SessionService`.
 * The core knows none of it: the features provide `SessionLifecycle` for the app and a subclass of `SessionService`
 * that hands them its levers, so an app without them bundles none of their code (bench/client-bundle.mjs). The DI
 * tokens are abstract classes rather than InjectionTokens: a bundler leaves out a class declaration nothing uses,
 * while it keeps a module-level `new InjectionToken()` it cannot prove free of side effects (esbuild does).
 */

/**
 * The session's life in this tab, next to `SessionService`: why it ended and, with `withIdleTimeout()`, when it
 * expires, the warning before that and "Stay signed in". Provided by `withIdleTimeout()` and `withSessionEvents()`;
 * without either in `provideSession()`, injecting it fails with Angular's NG0201 (no provider for SessionLifecycle).
 *
 * ```ts
 * readonly lifecycle = inject(SessionLifecycle);
 * // template: @if (lifecycle.warning()) { Signed out in {{ lifecycle.countdown() }} s
 * //   <button (click)="lifecycle.extend()">Stay signed in</button> }
 * ```
 */
export abstract class SessionLifecycle {
  /**
   * Why the session ended while this page was open, when the server said so (`withSessionEvents()`: e.g.
   * `'signed-out-elsewhere'`, `'revoked'`) or it expired (`withIdleTimeout()`: `'expired'`); null otherwise and
   * again after the next sign-in. For a banner telling the visitor why they were signed out.
   */
  abstract readonly endedReason: Signal<string | null>;
  /** `withIdleTimeout()`: when the session expires if idle, on this browser's clock (ms since epoch); else null. */
  abstract readonly expiresAt: Signal<number | null>;
  /** `withIdleTimeout()`: when the session ends however active it is, on this browser's clock; null without a cap. */
  abstract readonly absoluteExpiresAt: Signal<number | null>;
  /** `withIdleTimeout()`: true from `warnBefore` before the idle expiry, while `extend()` can still push it back. */
  abstract readonly warning: Signal<boolean>;
  /** `withIdleTimeout()`: true from `noticeBefore` before the absolute expiry, which nothing extends. */
  abstract readonly absoluteNotice: Signal<boolean>;
  /**
   * `withIdleTimeout()`: whole seconds until the session ends (idle or absolute expiry, whichever comes first), or
   * null. It ticks once a second while something reads it (a template, an effect) and stops when nothing does.
   */
  abstract readonly countdown: Signal<number | null>;
  /**
   * `withIdleTimeout()`: keeps the session alive now (a POST to the summary URL slides its idle expiry on the
   * server) and tells the other tabs. For the warning's "Stay signed in" button. Rejects if the POST fails, and
   * without `withIdleTimeout()`.
   */
  abstract extend(): Promise<void>;
}

/**
 * The levers of `SessionService` the features use, in the browser: private to the library, so the service's public
 * surface stays read-only.
 */
export interface SessionLifecycleHandle {
  /** The summary applied so far: one there at connection time came with the page (TransferState). */
  readonly summary: Signal<SessionSummary | null>;
  readonly status: Signal<SessionStatus>;
  /** Called with every summary the service applies from now on, and when it arrived (this browser's clock). */
  readonly listeners: Array<(summary: SessionSummary, receivedAt: number) => void>;
  /** True while this tab's own `logout()` runs: an ending the server reports meanwhile is that logout. */
  leaving(): boolean;
  /** Reads the summary anew, not joining a read under way (which may predate what the caller learnt). */
  read(): Promise<SessionSummary>;
  /** Checks and applies a summary answered by a keep-alive touch, as if it had been read. */
  apply(body: unknown): SessionSummary;
}

/** `withIdleTimeout()` as the other lifecycle code sees it: its part of `SessionLifecycle`, and its connection. */
export abstract class SessionIdleState {
  abstract readonly expiresAt: Signal<number | null>;
  abstract readonly absoluteExpiresAt: Signal<number | null>;
  abstract readonly warning: Signal<boolean>;
  abstract readonly absoluteNotice: Signal<boolean>;
  abstract readonly countdown: Signal<number | null>;
  abstract extend(): Promise<void>;
  /** Called once, in the browser, when `SessionService` is built. */
  abstract connect(handle: SessionLifecycleHandle): void;
}

/** `withSessionEvents()` as the other lifecycle code sees it. */
export abstract class SessionEventsConnection {
  /** Called once, in the browser, when `SessionService` is built. */
  abstract connect(handle: SessionLifecycleHandle): void;
}
