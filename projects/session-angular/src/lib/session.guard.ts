import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';

import { SessionService } from './session.service';

/** Options of `sessionGuard()`. */
export interface SessionGuardOptions {
  /** Where anonymous visitors go. @default '/login' */
  redirectTo?: string;
  /** Query parameter that carries the denied URL to the redirect target, e.g. `'returnUrl'`. @default undefined (none) */
  returnUrlParam?: string;
}

/**
 * A `CanActivateFn` that waits for the first session summary, lets authenticated users through and
 * sends anonymous ones to `redirectTo` (a `UrlTree`, so it works on the server and in the browser).
 * A summary that cannot be read counts as anonymous.
 *
 * ```ts
 * { path: 'account', canActivate: [sessionGuard()], loadComponent: () => import('./account.page') }
 * ```
 */
export function sessionGuard(options: SessionGuardOptions = {}): CanActivateFn {
  const { redirectTo = '/login', returnUrlParam } = options;
  return async (_route, state) => {
    const session = inject(SessionService);
    const router = inject(Router);
    const authenticated = await session.ready().then(
      (summary) => summary.authenticated,
      () => false,
    );
    if (authenticated) return true;
    const target = router.parseUrl(redirectTo);
    if (returnUrlParam) target.queryParams = { ...target.queryParams, [returnUrlParam]: state.url };
    return target;
  };
}
