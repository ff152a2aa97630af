import { DOCUMENT } from '@angular/common';
import { HttpClient } from '@angular/common/http';
import { DestroyRef, ErrorHandler, computed, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';

import type { SessionFeature } from './provide-session';
import { SESSION_SUMMARY_URL } from './session-config';
import { sessionRequestContext } from './session-http-context';
import { SessionIdleState, SessionLifecycleHandle } from './session-lifecycle';
import { provideSessionLifecycle } from './session-lifecycle-features';
import { SessionSummary } from './session-summary';
import { SessionTabLeader } from './session-tab-leader';

/** Options of `withIdleTimeout()`; durations in ms. */
export interface IdleTimeoutOptions {
  /** `warning()` turns true this long before the idle expiry. @default 60_000 */
  warnBefore?: number;
  /** User activity keeps the session alive with at most one touch (POST to the summary URL) per this long. @default 60_000 */
  touchAfter?: number;
  /** `absoluteNotice()` turns true this long before the absolute expiry. @default 300_000 */
  noticeBefore?: number;
  /**
   * Events on the document that count as activity (listened to passively, in the capture phase); a tab becoming
   * visible counts too. @default ['pointerdown', 'pointermove', 'keydown', 'wheel', 'scroll', 'touchstart']
   */
  activityEvents?: readonly string[];
}

/** Defaults of {@link IdleTimeoutOptions}. */
export const DEFAULT_IDLE_TIMEOUT_OPTIONS = {
  warnBefore: 60_000,
  touchAfter: 60_000,
  noticeBefore: 300_000,
  activityEvents: ['pointerdown', 'pointermove', 'keydown', 'wheel', 'scroll', 'touchstart'],
} as const satisfies Required<IdleTimeoutOptions>;

/**
 * The expiry is read again this long after it passed: the skew is measured when an answer arrives, so a transit
 * time makes the server's clock look late by that much, and the server must have expired the session by then.
 */
export const EXPIRY_GRACE_MS = 1_000;

// A follower tells the elected tab about activity at most this often while a touch is due.
const FORWARD_EVERY_MS = 1_000;
// The longest delay setTimeout takes (2^31 - 1 ms, about 24.8 days); later instants are reached in steps.
const MAX_DELAY_MS = 2_147_483_647;

/** Expiry instants on this browser's clock (ms since epoch). */
interface Expiry {
  expiresAt: number;
  absoluteExpiresAt: number | null;
}

/**
 * Shows the session's real expiry in the browser and keeps an active visitor signed in. Provides `SessionLifecycle`
 * with its idle signals (`expiresAt`, `absoluteExpiresAt`, `warning`, `absoluteNotice`, `countdown`, `extend()`), fed
 * by the `expiresAt`, `absoluteExpiresAt` and `now` fields the summary endpoint answers; against a server that
 * does not answer them, it stays inert. Activity (pointer, keys, scrolling, a tab becoming visible) in any tab sends
 * at most one keep-alive per `touchAfter`, from the one elected tab; activity does not extend a session whose
 * warning shows (the visitor chooses with `extend()`). At the expiry every tab re-reads the summary, turns anonymous
 * with `endedReason() === 'expired'`, and a page behind `sessionGuard()` goes to its login page with the return URL.
 * No timer, listener or channel on the server.
 *
 * ```ts
 * provideSession(withAnalog(), withIdleTimeout({ warnBefore: 2 * 60_000 }))
 * ```
 */
export function withIdleTimeout(options: IdleTimeoutOptions = {}): SessionFeature<'idle-timeout'> {
  return {
    kind: 'idle-timeout',
    providers: [
      provideSessionLifecycle(),
      { provide: SessionIdleState, useFactory: () => new SessionIdleTimeout({ ...DEFAULT_IDLE_TIMEOUT_OPTIONS, ...options }) },
    ],
  };
}

class SessionIdleTimeout implements SessionIdleState {
  private readonly http = inject(HttpClient);
  private readonly url = inject(SESSION_SUMMARY_URL);
  private readonly win = inject(DOCUMENT).defaultView;
  private readonly destroyRef = inject(DestroyRef);
  private readonly errorHandler = inject(ErrorHandler);

  private readonly tabs = inject(SessionTabLeader);
  private handle: SessionLifecycleHandle | null = null;
  private readonly expiry = signal<Expiry | null>(null, { equal: sameExpiry });
  /** This browser's clock when the expiry last changed or an instant of it was reached. */
  private readonly now = signal(0);
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The end instant already read again, so that a server answering the same past expiry is not asked in a loop. */
  private endingFor: number | null = null;
  private lastTouchAt = 0;
  private lastForwardAt = 0;
  private touching: Promise<void> | null = null;

  // The countdown's clock: runs while something reads the countdown (see `tick`).
  private readonly ticks = signal(0);
  private ticker: ReturnType<typeof setTimeout> | undefined;
  private pulled = false;

  readonly expiresAt = computed(() => this.expiry()?.expiresAt ?? null);
  readonly absoluteExpiresAt = computed(() => this.expiry()?.absoluteExpiresAt ?? null);
  private readonly endsAt = computed(() => {
    const expiry = this.expiry();
    return expiry && endOf(expiry);
  });
  readonly warning = computed(() => {
    const expiry = this.expiry();
    return !!expiry && extendable(expiry) && this.now() >= expiry.expiresAt - this.options.warnBefore;
  });
  readonly absoluteNotice = computed(() => {
    const absolute = this.expiry()?.absoluteExpiresAt ?? null;
    return absolute !== null && this.now() >= absolute - this.options.noticeBefore;
  });
  readonly countdown = computed(() => {
    this.ticks();
    const end = this.endsAt();
    if (end === null) return null;
    const left = end - Date.now();
    this.pulled = true;
    if (this.ticker === undefined && left > 0 && this.handle) this.ticker = setTimeout(this.tick, left % 1000 || 1000);
    return Math.max(0, Math.ceil(left / 1000));
  });

  constructor(private readonly options: Required<IdleTimeoutOptions>) {}

  /** Called in the browser only (nothing connects the features on the server). */
  connect(handle: SessionLifecycleHandle): void {
    const problem = invalidOption(this.options);
    if (problem) {
      this.errorHandler.handleError(new TypeError(`[@analog-tools/session-angular] withIdleTimeout(): ${problem}`));
      return;
    }
    this.handle = handle;
    // Loading the page used the session (the server slides its expiry on reads too): the first touch is due later.
    this.lastTouchAt = Date.now();
    this.tabs.start(handle);
    this.tabs.onMessage((message) => this.receive(message));
    handle.listeners.push((summary, receivedAt) => this.take(summary, receivedAt));
    // A summary already there came with the page (TransferState): it left the server when the page did.
    const initial = handle.summary();
    if (initial) this.take(initial, pageReceivedAt(this.win));

    const doc = this.win?.document;
    if (doc) {
      const onVisible = () => {
        if (doc.visibilityState !== 'visible') return;
        // Timers sleep with the computer and are throttled in hidden tabs: catch up first.
        this.reschedule();
        this.onActivity();
      };
      const listening = { capture: true, passive: true };
      for (const type of this.options.activityEvents) doc.addEventListener(type, this.onActivity, listening);
      doc.addEventListener('visibilitychange', onVisible);
      this.destroyRef.onDestroy(() => {
        for (const type of this.options.activityEvents) doc.removeEventListener(type, this.onActivity, listening);
        doc.removeEventListener('visibilitychange', onVisible);
      });
    }
    this.destroyRef.onDestroy(() => {
      clearTimeout(this.timer);
      clearTimeout(this.ticker);
      this.handle = null;
    });
  }

  extend(): Promise<void> {
    return this.handle
      ? this.touch()
      : Promise.reject(new Error('[@analog-tools/session-angular] extend(): no session in the browser yet.'));
  }

  private take(summary: SessionSummary, receivedAt: number): void {
    const { authenticated, expiresAt, absoluteExpiresAt, now } = summary;
    if (!authenticated || !isInstant(expiresAt) || !isInstant(now)) {
      this.setExpiry(null);
      return;
    }
    // Server instant + offset = the same instant on this browser's clock.
    const offset = receivedAt - now;
    this.setExpiry({ expiresAt: expiresAt + offset, absoluteExpiresAt: isInstant(absoluteExpiresAt) ? absoluteExpiresAt + offset : null });
  }

  private setExpiry(expiry: Expiry | null): void {
    this.expiry.set(expiry);
    this.reschedule();
  }

  /** Moves `now` to this instant and sets one timer for the next instant the signals change at. */
  private reschedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    this.now.set(now);
    const expiry = this.expiry();
    if (!expiry || !this.handle) return;
    const end = endOf(expiry);
    if (now >= end + EXPIRY_GRACE_MS) {
      this.expire(end);
      return;
    }
    const instants = [end + EXPIRY_GRACE_MS, expiry.expiresAt - this.options.warnBefore];
    if (expiry.absoluteExpiresAt !== null) instants.push(expiry.absoluteExpiresAt - this.options.noticeBefore);
    const next = Math.min(...instants.filter((instant) => instant > now));
    this.timer = setTimeout(() => this.reschedule(), Math.min(next - now, MAX_DELAY_MS));
  }

  /** Past the end: the summary says whether the server ended the session (every tab does this at the same instant). */
  private expire(end: number): void {
    if (this.endingFor === end) return;
    this.endingFor = end;
    void this.tabs.endHere('expired');
  }

  /** Whether activity now should send a keep-alive. */
  private due(): boolean {
    const expiry = this.expiry();
    const now = Date.now();
    return !!expiry && extendable(expiry) && !this.warning() && now < endOf(expiry) && now - this.lastTouchAt >= this.options.touchAfter;
  }

  private readonly onActivity = (): void => {
    if (!this.handle || !this.due()) return;
    if (this.tabs.leading) {
      this.touch().catch(ignore);
    } else if (Date.now() - this.lastForwardAt >= FORWARD_EVERY_MS) {
      this.lastForwardAt = Date.now();
      this.tabs.post({ type: 'session-activity' });
    }
  };

  private receive(data: unknown): void {
    const message = data as Partial<Record<string, unknown>> | null;
    if (message?.['type'] === 'session-activity') {
      if (this.tabs.leading && this.due()) this.touch().catch(ignore);
    } else if (message?.['type'] === 'session-expiry') {
      const { expiresAt, absoluteExpiresAt, touchedAt } = message;
      if (!isInstant(expiresAt) || !isInstant(touchedAt) || this.handle?.status() !== 'authenticated') return;
      this.lastTouchAt = Math.max(this.lastTouchAt, touchedAt);
      this.setExpiry({ expiresAt, absoluteExpiresAt: isInstant(absoluteExpiresAt) ? absoluteExpiresAt : null });
    }
  }

  /** One keep-alive at a time: POST to the summary URL, apply its answer, hand the new expiry to the other tabs. */
  private touch(): Promise<void> {
    return (this.touching ??= this.sendTouch().finally(() => (this.touching = null)));
  }

  private async sendTouch(): Promise<void> {
    const touchedAt = (this.lastTouchAt = Date.now());
    const body = await firstValueFrom(this.http.post<unknown>(this.url, null, { context: sessionRequestContext() }));
    const handle = this.handle;
    if (!handle) return;
    const wasAuthenticated = handle.status() === 'authenticated';
    const summary = handle.apply(body);
    const expiry = this.expiry();
    if (summary.authenticated && expiry) {
      this.tabs.post({ type: 'session-expiry', ...expiry, touchedAt });
    } else if (wasAuthenticated && !summary.authenticated) {
      // Too late: the session had ended. The other tabs learn it now rather than at their own timers.
      this.tabs.post({ type: 'session-ended', reason: 'expired' });
      this.tabs.ended('expired');
    }
  }

  /**
   * The countdown's timer, at each change of the whole second: while something read the countdown since the last
   * tick it ticks on; otherwise it stops, and the next read starts it again.
   */
  private readonly tick = (): void => {
    this.ticker = undefined;
    const end = this.endsAt();
    if (this.pulled && end !== null && end > Date.now()) {
      this.pulled = false;
      this.ticker = setTimeout(this.tick, (end - Date.now()) % 1000 || 1000);
    }
    // Also when stopping: the cached value is stale, so the next read computes it afresh.
    this.ticks.update((n) => n + 1);
  };
}

function endOf(expiry: Expiry): number {
  return Math.min(expiry.expiresAt, expiry.absoluteExpiresAt ?? Infinity);
}

/** A touch can push the end back: the idle expiry comes before the absolute one. */
function extendable(expiry: Expiry): boolean {
  return expiry.expiresAt < (expiry.absoluteExpiresAt ?? Infinity);
}

function sameExpiry(a: Expiry | null, b: Expiry | null): boolean {
  return a === b || (!!a && !!b && a.expiresAt === b.expiresAt && a.absoluteExpiresAt === b.absoluteExpiresAt);
}

function isInstant(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** When the page's response started to arrive (Navigation Timing), else now. */
function pageReceivedAt(win: Window | null): number {
  const navigation = win?.performance?.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined;
  return navigation && navigation.responseStart > 0 ? win!.performance.timeOrigin + navigation.responseStart : Date.now();
}

function invalidOption(options: Required<IdleTimeoutOptions>): string | null {
  for (const name of ['warnBefore', 'noticeBefore', 'touchAfter'] as const) {
    const value = options[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (name === 'touchAfter' && value === 0)) {
      return `${name} must be a ${name === 'touchAfter' ? 'positive' : 'non-negative'} number of milliseconds (got ${String(value)}).`;
    }
  }
  return Array.isArray(options.activityEvents) ? null : 'activityEvents must be an array of event names.';
}

function ignore(): void {
  // A keep-alive that failed changes nothing: the next activity tries again, and the expiry timer still runs.
}
