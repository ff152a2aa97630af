import { inject } from '@angular/core';

import { SessionSummary } from './session-summary';
import { SessionService } from './session.service';

/**
 * The `SessionService`, typed with the app's own summary (the fields its server selector adds). Call it in an
 * injection context, like `inject()`.
 *
 * ```ts
 * interface AppSummary extends SessionSummary { user?: SessionUser & { role: 'admin' | 'member' } }
 * readonly session = injectSession<AppSummary>();
 * // session.user()?.role is typed
 * ```
 */
export function injectSession<S extends SessionSummary = SessionSummary>(): SessionService<S> {
  // One service per injector whatever S is: the type parameter only describes the JSON the server answers.
  return inject(SessionService) as SessionService<S>;
}
