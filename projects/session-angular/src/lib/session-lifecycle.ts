import { Signal } from '@angular/core';

import type { SessionService } from './session.service';
import { SessionStatus, SessionSummary } from './session-summary';

/*
 * The seam between SessionService and its lifecycle features (`withIdleTimeout()`, `withSessionEvents()`). The
 * service knows only `SessionLifecycle`, which the features alone provide, so an app without them bundles none of
 * their code: their signals, listeners and levers live on the features' side. The DI tokens are abstract classes
 * rather than InjectionTokens: a bundler leaves out a class declaration nothing uses, while it keeps a module-level
 * `new InjectionToken()` it cannot prove free of side effects (esbuild does, in bench/client-bundle.mjs).
 */

/**
 * What `SessionService` reads and calls of its lifecycle features. Provided by them only (`provideSessionLifecycle()`),
 * never by the core: without them the service injects nothing here and its lifecycle members are constant.
 */
export abstract class SessionLifecycle {
  /** `SessionService.endedReason`, shared by the features. */
  abstract readonly endedReason: Signal<string | null>;
  /** `withIdleTimeout()`'s signals and `extend()`, or null without it. */
  abstract readonly idle: SessionIdleState | null;
  /** Connects the features to the service, once, at the end of its construction in the browser. */
  abstract connect(service: SessionService): void;
  /** Called with every summary the service applies (on the server too, where nothing is connected). */
  abstract applied(summary: SessionSummary): void;
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

/** `withIdleTimeout()` as `SessionLifecycle` sees it: what it adds to `SessionService`, and its connection. */
export abstract class SessionIdleState {
  abstract readonly expiresAt: Signal<number | null>;
  abstract readonly absoluteExpiresAt: Signal<number | null>;
  abstract readonly warning: Signal<boolean>;
  abstract readonly absoluteNotice: Signal<boolean>;
  abstract readonly countdown: Signal<number | null>;
  abstract extend(): Promise<void>;
  abstract connect(handle: SessionLifecycleHandle): void;
}

/** `withSessionEvents()` as `SessionLifecycle` sees it. */
export abstract class SessionEventsConnection {
  abstract connect(handle: SessionLifecycleHandle): void;
}
