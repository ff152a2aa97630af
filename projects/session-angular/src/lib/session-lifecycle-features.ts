import { isPlatformBrowser } from '@angular/common';
import { PLATFORM_ID, Provider, Signal, computed, inject } from '@angular/core';

import { SessionEventsConnection, SessionIdleState, SessionLifecycle, SessionLifecycleHandle } from './session-lifecycle';
import { SessionSummary } from './session-summary';
import { SessionTabLeader } from './session-tab-leader';
import { SessionService } from './session.service';

/**
 * What each lifecycle feature lists beside its own provider (the same providers twice are one instance each):
 * `SessionLifecycle` for the app, `SessionService` as the subclass that connects the features, and the one
 * `SessionTabLeader` they share. Factories, not `providedIn: 'root'`: an injectable class stays in bundles that never
 * use it.
 */
export function provideSessionLifecycle(): Provider[] {
  return [
    { provide: SessionTabLeader, useFactory: () => new SessionTabLeader() },
    { provide: SessionLifecycle, useFactory: () => new SessionLifecycleSignals() },
    { provide: SessionService, useFactory: () => new SessionServiceWithLifecycle() },
  ];
}

class SessionLifecycleSignals extends SessionLifecycle {
  private readonly idle = inject(SessionIdleState, { optional: true });
  // What the idle members read with `withSessionEvents()` alone. Not module constants: a bundler keeps those.
  private readonly none: Signal<null> = computed(() => null);
  private readonly never: Signal<boolean> = computed(() => false);

  readonly endedReason = inject(SessionTabLeader).endedReason;
  readonly expiresAt = this.idle?.expiresAt ?? this.none;
  readonly absoluteExpiresAt = this.idle?.absoluteExpiresAt ?? this.none;
  readonly warning = this.idle?.warning ?? this.never;
  readonly absoluteNotice = this.idle?.absoluteNotice ?? this.never;
  readonly countdown = this.idle?.countdown ?? this.none;

  extend(): Promise<void> {
    return (
      this.idle?.extend() ??
      Promise.reject(new Error('[@analog-tools/session-angular] SessionLifecycle.extend() needs withIdleTimeout() in provideSession().'))
    );
  }
}

/**
 * `SessionService` with the lifecycle features: in the browser it connects them once built, hands them every
 * summary it applies, and tells them while its own `logout()` runs. The levers stay private to the library (the
 * handle): the service's public surface is the core's, which only makes `apply()` protected for this class.
 */
class SessionServiceWithLifecycle extends SessionService {
  // Assigned after super(): a summary the core applies while it is built (TransferState) is read from `summary`.
  private readonly listeners: SessionLifecycleHandle['listeners'] = [];
  private leaving = false;

  constructor() {
    super();
    if (!isPlatformBrowser(inject(PLATFORM_ID))) return;
    // The core's private levers, reached by element access (which TypeScript checks as it checks `this.read`).
    const handle: SessionLifecycleHandle = {
      summary: this.summary,
      status: this.status,
      listeners: this.listeners,
      leaving: () => this.leaving,
      read: () => this['read'](true),
      apply: (body) => {
        const summary = this['check'](body);
        // A read sent before this answer would bring an older expiry.
        this['generation']++;
        this.apply(summary);
        return summary;
      },
    };
    inject(SessionIdleState, { optional: true })?.connect(handle);
    inject(SessionEventsConnection, { optional: true })?.connect(handle);
  }

  override async logout(): Promise<void> {
    this.leaving = true;
    try {
      await super.logout();
    } finally {
      this.leaving = false;
    }
  }

  protected override apply(summary: SessionSummary): void {
    super.apply(summary);
    const receivedAt = Date.now();
    // Undefined while super() runs (see `listeners`).
    for (const listener of this.listeners ?? []) listener(summary, receivedAt);
  }
}
