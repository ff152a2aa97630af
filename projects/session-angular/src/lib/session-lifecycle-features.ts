import { Provider, inject } from '@angular/core';

import type { SessionService } from './session.service';
import { SessionEventsConnection, SessionIdleState, SessionLifecycle, SessionLifecycleHandle } from './session-lifecycle';
import { SessionSummary } from './session-summary';
import { SessionTabLeader } from './session-tab-leader';

/**
 * The lifecycle features of an injector as `SessionService` sees them, and the one `SessionTabLeader` they share.
 * Listed by each feature (the same providers twice are one instance each). Not `providedIn: 'root'`: an injectable
 * class stays in bundles that never use it.
 */
export function provideSessionLifecycle(): Provider[] {
  return [
    { provide: SessionTabLeader, useFactory: () => new SessionTabLeader() },
    { provide: SessionLifecycle, useFactory: () => new SessionLifecycleFeatures() },
  ];
}

class SessionLifecycleFeatures implements SessionLifecycle {
  private readonly events = inject(SessionEventsConnection, { optional: true });
  private readonly listeners: SessionLifecycleHandle['listeners'] = [];

  readonly idle = inject(SessionIdleState, { optional: true });
  readonly endedReason = inject(SessionTabLeader).endedReason;

  connect(service: SessionService): void {
    // The service's private levers are reached from here, not handed over by the service, so that apps without the
    // features bundle none of this (bench/client-bundle.mjs). TypeScript checks these element accesses as it checks
    // `service.read`.
    const handle: SessionLifecycleHandle = {
      summary: service.summary,
      status: service.status,
      listeners: this.listeners,
      leaving: () => service['leaving'] === true,
      read: () => service['read'](true),
      apply: (body) => {
        const summary = service['check'](body);
        // A read sent before this answer would bring an older expiry.
        service['generation']++;
        service['apply'](summary);
        return summary;
      },
    };
    this.idle?.connect(handle);
    this.events?.connect(handle);
  }

  applied(summary: SessionSummary): void {
    const receivedAt = Date.now();
    for (const listener of this.listeners) listener(summary, receivedAt);
  }
}
