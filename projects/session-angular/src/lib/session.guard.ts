import { inject } from '@angular/core';
import { ActivatedRouteSnapshot, CanActivateFn, Router, UrlTree } from '@angular/router';

import { SessionService } from './session.service';

/** Options of `sessionGuard()`. */
export interface SessionGuardOptions {
  /** Where anonymous visitors go. @default '/login' */
  redirectTo?: string;
  /** Query parameter that carries the denied URL to the redirect target, e.g. `'returnUrl'`. @default undefined (none) */
  returnUrlParam?: string;
}

// Each guard carries its options, so a session that ends under a guarded page can be sent where that guard sends.
const GUARD_OPTIONS = Symbol('sessionGuard options');

type MarkedGuard = CanActivateFn & { [GUARD_OPTIONS]?: SessionGuardOptions };

/**
 * A `CanActivateFn` that waits for the first session summary, lets authenticated users through and
 * sends anonymous ones to `redirectTo` (a `UrlTree`, so it works on the server and in the browser).
 * A summary that cannot be read counts as anonymous. With `withIdleTimeout()` or `withSessionEvents()`, a session
 * that expires or is ended by the server while a guarded page is open sends the visitor the same way.
 *
 * ```ts
 * { path: 'account', canActivate: [sessionGuard()], loadComponent: () => import('./account.page') }
 * ```
 */
export function sessionGuard(options: SessionGuardOptions = {}): CanActivateFn {
  const guard: MarkedGuard = async (_route, state) => {
    const session = inject(SessionService);
    const router = inject(Router);
    const authenticated = await session.ready().then(
      (summary) => summary.authenticated,
      () => false,
    );
    return authenticated || redirectTarget(router, options, state.url);
  };
  guard[GUARD_OPTIONS] = options;
  return guard;
}

function redirectTarget(router: Router, options: SessionGuardOptions, url: string): UrlTree {
  const { redirectTo = '/login', returnUrlParam } = options;
  const target = router.parseUrl(redirectTo);
  if (returnUrlParam) target.queryParams = { ...target.queryParams, [returnUrlParam]: url };
  return target;
}

/**
 * After the session ended while this page was open: when a `sessionGuard()` protects the current route (or one
 * of its parents), navigates where that guard sends anonymous visitors, with the return URL it would add.
 */
export function leaveGuardedRoute(router: Router): void {
  const options = guardOf(router.routerState.snapshot.root);
  if (options) void router.navigateByUrl(redirectTarget(router, options, router.url));
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
