import { InjectionToken, Signal } from '@angular/core';

import { SessionStatus, SessionSummary } from './session-summary';

/**
 * The levers `SessionService` hands to the lifecycle features (`withIdleTimeout()`, `withSessionEvents()`) when it
 * connects them, in the browser: private to the library, so the service's public surface stays read-only.
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

/** A lifecycle feature, connected once by `SessionService` at the end of its construction in the browser. */
export interface SessionLifecycleFeature {
  /** Why the session ended while the page was open (shared by the features); see `SessionService.endedReason`. */
  readonly endedReason: Signal<string | null>;
  connect(handle: SessionLifecycleHandle): void;
}

/** What `withIdleTimeout()` adds to `SessionService`. */
export interface SessionIdleState extends SessionLifecycleFeature {
  readonly expiresAt: Signal<number | null>;
  readonly absoluteExpiresAt: Signal<number | null>;
  readonly warning: Signal<boolean>;
  readonly absoluteNotice: Signal<boolean>;
  readonly countdown: Signal<number | null>;
  extend(): Promise<void>;
}

/** Provided by `withIdleTimeout()` only, so apps without it bundle none of its code. */
export const SESSION_IDLE_TIMEOUT = new InjectionToken<SessionIdleState>('SESSION_IDLE_TIMEOUT');

/** Provided by `withSessionEvents()` only. */
export const SESSION_EVENTS = new InjectionToken<SessionLifecycleFeature>('SESSION_EVENTS');
