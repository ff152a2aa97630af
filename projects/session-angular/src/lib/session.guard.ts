import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';

import { SessionService } from './session.service';

/** Options of `sessionGuard()`. */
export interface SessionGuardOptions {
  /** Where anonymous visitors go. @default '/login' */
  redirectTo?: string;
  /** Query parameter that carries the denied URL to the redirect target, e.g. `'returnUrl'`. @default undefined (none) */
  returnUrlParam?: string;
  /**
   * Step-up: also send users who signed in longer than this many seconds ago to `reauthenticateTo`, with the denied
   * URL in `returnUrlParam` (`'returnUrl'` when unset), so that they sign in again and come back. Needs the summary's
   * `authenticatedAt` (the server's selector adds it with `getSessionAuthTime(event)`); without it the user counts as
   * stale. The server decides in the end: guard the action itself with `requireFreshSession(event, { maxAge })`.
   * @default undefined (any sign-in will do)
   */
  freshWithin?: number;
  /** Where users whose sign-in is older than `freshWithin` go. @default `redirectTo` */
  reauthenticateTo?: string;
}

/**
 * A `CanActivateFn` that waits for the first session summary, lets authenticated users through and
 * sends anonymous ones to `redirectTo` (a `UrlTree`, so it works on the server and in the browser).
 * A summary that cannot be read counts as anonymous. With `freshWithin`, a user who signed in too long ago is sent to
 * sign in again and brought back (step-up, for pages of sensitive actions).
 *
 * ```ts
 * { path: 'account', canActivate: [sessionGuard()], loadComponent: () => import('./account.page') }
 * ```
 */
export function sessionGuard(options: SessionGuardOptions = {}): CanActivateFn {
  const { redirectTo = '/login', returnUrlParam, freshWithin, reauthenticateTo = redirectTo } = options;
  if (freshWithin !== undefined && !(typeof freshWithin === 'number' && freshWithin > 0)) {
    throw new TypeError(
      `[@analog-tools/session-angular] sessionGuard(): freshWithin must be a positive number of seconds, got ${String(freshWithin)}.`,
    );
  }
  return async (_route, state) => {
    const session = inject(SessionService);
    const router = inject(Router);
    const summary = await session.ready().catch(() => null);
    const redirect = (to: string, param: string | undefined) => {
      const target = router.parseUrl(to);
      if (param) target.queryParams = { ...target.queryParams, [param]: state.url };
      return target;
    };
    if (!summary?.authenticated) return redirect(redirectTo, returnUrlParam);
    if (freshWithin === undefined) return true;
    const at = summary.authenticatedAt;
    const fresh = typeof at === 'number' && Date.now() - at <= freshWithin * 1000;
    return fresh || redirect(reauthenticateTo, returnUrlParam ?? 'returnUrl');
  };
}
