import { HttpTestingController } from '@angular/common/http/testing';
import { REQUEST } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ActivatedRouteSnapshot, GuardResult, MaybeAsync, RouterStateSnapshot, UrlTree, provideRouter } from '@angular/router';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ALICE, ANONYMOUS, setup, tick, verifyHttpAfterEach } from '../test-helpers';
import { SessionGuardOptions, sessionGuard } from './session.guard';

function runGuard(options?: SessionGuardOptions, url = '/account'): Promise<GuardResult> {
  const state = { url } as RouterStateSnapshot;
  const result = TestBed.runInInjectionContext(() => sessionGuard(options)({} as ActivatedRouteSnapshot, state)) as MaybeAsync<GuardResult>;
  return Promise.resolve(result as Promise<GuardResult>);
}

function serialize(result: GuardResult): string | boolean {
  return result instanceof UrlTree ? result.toString() : (result as boolean);
}

describe('sessionGuard()', () => {
  let http: HttpTestingController;

  verifyHttpAfterEach();

  for (const platform of ['browser', 'server'] as const) {
    describe(`on the ${platform}`, () => {
      const providers = [
        provideRouter([]),
        { provide: REQUEST, useValue: new Request('http://app.test/', { headers: { cookie: 'sid=1' } }) },
      ];
      const flush = (body: object) => http.expectOne('/api/session').flush(platform === 'server' ? JSON.stringify(body) : body);

      it('lets an authenticated user through', async () => {
        http = setup({ platform, providers });
        const result = runGuard();
        flush(ALICE);
        expect(await result).toBe(true);
      });

      it('sends an anonymous visitor to /login with a UrlTree', async () => {
        http = setup({ platform, providers });
        const result = runGuard();
        flush(ANONYMOUS);
        const tree = await result;
        expect(tree).toBeInstanceOf(UrlTree);
        expect(serialize(tree)).toBe('/login');
      });
    });
  }

  it('waits for the first summary before deciding', async () => {
    http = setup({ providers: [provideRouter([])] });
    let settled = false;
    const result = runGuard().then((value) => {
      settled = true;
      return value;
    });
    await tick();
    expect(settled).toBe(false);

    http.expectOne('/api/session').flush(ALICE);
    expect(await result).toBe(true);
    expect(settled).toBe(true);
  });

  it('redirects where redirectTo says, with the denied URL when returnUrlParam is set', async () => {
    http = setup({ providers: [provideRouter([])] });
    const result = runGuard({ redirectTo: '/auth/sign-in?from=guard', returnUrlParam: 'returnUrl' }, '/orders/7?tab=items');
    http.expectOne('/api/session').flush(ANONYMOUS);
    expect(serialize(await result)).toBe('/auth/sign-in?from=guard&returnUrl=%2Forders%2F7%3Ftab%3Ditems');
  });

  it('counts an unreadable summary as anonymous', async () => {
    http = setup({ providers: [provideRouter([])] });
    const result = runGuard();
    http.expectOne('/api/session').flush('down', { status: 503, statusText: 'Unavailable' });
    expect(serialize(await result)).toBe('/login');
  });

  describe('freshWithin (step-up)', () => {
    const NOW = Date.UTC(2026, 0, 1, 12);
    const signedInAt = (at: number | null | undefined) => ({ ...ALICE, ...(at === undefined ? {} : { authenticatedAt: at }) });
    afterEach(() => vi.useRealTimers());

    const guardAt = async (summary: object, options: SessionGuardOptions, url = '/account/security') => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(NOW);
      TestBed.resetTestingModule();
      http = setup({ providers: [provideRouter([])] });
      const result = runGuard(options, url);
      http.expectOne('/api/session').flush(summary);
      return serialize(await result);
    };

    it('lets a user through who signed in within freshWithin seconds', async () => {
      expect(await guardAt(signedInAt(NOW - 300_000), { freshWithin: 300 })).toBe(true);
    });

    it('sends a user who signed in earlier to sign in again, with the URL to come back to', async () => {
      expect(await guardAt(signedInAt(NOW - 300_001), { freshWithin: 300 })).toBe('/login?returnUrl=%2Faccount%2Fsecurity');
      expect(await guardAt(signedInAt(NOW - 300_001), { freshWithin: 300, reauthenticateTo: '/confirm', returnUrlParam: 'next' })).toBe(
        '/confirm?next=%2Faccount%2Fsecurity',
      );
    });

    it('counts an unknown sign-in time as stale, and still sends anonymous visitors to redirectTo', async () => {
      expect(await guardAt(signedInAt(undefined), { freshWithin: 300, reauthenticateTo: '/confirm' })).toBe(
        '/confirm?returnUrl=%2Faccount%2Fsecurity',
      );
      expect(await guardAt(signedInAt(null), { freshWithin: 300 })).toBe('/login?returnUrl=%2Faccount%2Fsecurity');
      expect(await guardAt(ANONYMOUS, { freshWithin: 300, reauthenticateTo: '/confirm' })).toBe('/login');
    });

    it('refuses a freshWithin that is no positive number of seconds', () => {
      for (const freshWithin of [0, -5, Number.NaN, '300' as unknown as number]) {
        expect(() => sessionGuard({ freshWithin })).toThrow(/freshWithin must be a positive number of seconds/);
      }
    });
  });
});
