import { inject } from '@angular/core';
import { ActivatedRouteSnapshot, CanActivateFn, Router, UrlTree } from '@angular/router';

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

// Each guard carries its options, so a session that ends under a guarded page can be sent where that guard sends.
// No description: it would cost apps 9 B gzip (bench/client-bundle.mjs) and only shows in a debugger.
const GUARD_OPTIONS = Symbol();

type MarkedGuard = CanActivateFn & { [GUARD_OPTIONS]?: SessionGuardOptions };

/**
 * A `CanActivateFn` that waits for the first session summary, lets authenticated users through and
 * sends anonymous ones to `redirectTo` (a `UrlTree`, so it works on the server and in the browser).
 * A summary that cannot be read counts as anonymous. With `freshWithin`, a user who signed in too long ago is sent to
 * sign in again and brought back (step-up, for pages of sensitive actions). With `withIdleTimeout()` or
 * `withSessionEvents()`, a session that expires or is ended by the server while a guarded page is open sends the
 * visitor to `redirectTo` the same way.
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
  const guard: MarkedGuard = async (_route, state) => {
    const session = inject(SessionService);
    const router = inject(Router);
    const summary = await session.ready().catch(() => null);
    if (!summary?.authenticated) return redirectTarget(router, redirectTo, returnUrlParam, state.url);
    if (freshWithin === undefined) return true;
    const at = summary.authenticatedAt;
    const fresh = typeof at === 'number' && Date.now() - at <= freshWithin * 1000;
    return fresh || redirectTarget(router, reauthenticateTo, returnUrlParam ?? 'returnUrl', state.url);
  };
  guard[GUARD_OPTIONS] = options;
  return guard;
}

function redirectTarget(router: Router, to: string, returnUrlParam: string | undefined, url: string): UrlTree {
  const target = router.parseUrl(to);
  if (returnUrlParam) target.queryParams = { ...target.queryParams, [returnUrlParam]: url };
  return target;
}

/**
 * After the session ended while this page was open: when a `sessionGuard()` protects the current route (or one
 * of its parents), navigates where that guard sends anonymous visitors, with the return URL it would add.
 */
export function leaveGuardedRoute(router: Router): void {
  const options = guardOf(router.routerState.snapshot.root);
  if (options) void router.navigateByUrl(redirectTarget(router, options.redirectTo ?? '/login', options.returnUrlParam, router.url));
}

function guardOf(route: ActivatedRouteSnapshot): SessionGuardOptions | null {
  const config = route.routeConfig;
  for (const guard of [...(config?.canActivate ?? []), ...(config?.canActivateChild ?? [])]) {
    const options = (guard as MarkedGuard)[GUARD_OPTIONS];
    if (options) return options;
  }
  for (const child of route.children) {
    const options = guardOf(child);
    if (options) return options;
  }
  return null;
}
