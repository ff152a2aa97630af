import { type EnvironmentInjector, inject } from '@angular/core';
import { type ActivatedRouteSnapshot, CanActivateFn, Router, type UrlTree } from '@angular/router';

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

/**
 * After the session ended while this page was open (the lifecycle features): runs again the first `sessionGuard()`
 * that protects the current route or one of its parents, and goes where it sends the now anonymous visitor, with the
 * return URL it adds. The guards carry no mark saying what they are, which would cost every app bytes: one made by
 * `sessionGuard()` is known by its source text, which they all share (`Function.prototype.toString()` answers the
 * function expression they were made from, the same one `sessionGuard()` makes here).
 */
export async function leaveGuardedRoute(injector: EnvironmentInjector): Promise<void> {
  const router = injector.get(Router, null);
  if (!router) return;
  const state = router.routerState.snapshot;
  const found = guardOf(state.root, sessionGuard().toString());
  if (!found) return;
  // A sessionGuard() answers true or a UrlTree (the visitor is anonymous now: a UrlTree).
  const result = await injector.runInContext(() => found.guard(found.route, state));
  if (result !== true) await router.navigateByUrl(result as UrlTree);
}

function guardOf(route: ActivatedRouteSnapshot, source: string): { guard: CanActivateFn; route: ActivatedRouteSnapshot } | null {
  const config = route.routeConfig;
  for (const guard of [...(config?.canActivate ?? []), ...(config?.canActivateChild ?? [])]) {
    if (typeof guard === 'function' && guard.toString() === source) return { guard: guard as CanActivateFn, route };
  }
  for (const child of route.children) {
    const found = guardOf(child, source);
    if (found) return found;
  }
  return null;
}
