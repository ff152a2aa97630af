import { Injector, runInInjectionContext } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';

import { setup, verifyHttpAfterEach } from '../test-helpers';
import { injectSession } from './inject-session';
import { SessionSummary, SessionUser } from './session-summary';
import { SessionService } from './session.service';

interface AppSummary extends SessionSummary {
  user?: SessionUser & { role: 'admin' | 'member' };
  cartItems: number;
}

describe('injectSession()', () => {
  verifyHttpAfterEach();

  it("is the app's one SessionService, typed with the app's summary", async () => {
    const http = setup();
    const session = runInInjectionContext(TestBed.inject(Injector), () => injectSession<AppSummary>());
    expect(session).toBe(TestBed.inject(SessionService));

    const summary: AppSummary = { authenticated: true, user: { id: 'u1', name: 'Alice', role: 'admin' }, cartItems: 2 };
    http.expectOne('/api/session').flush(summary);
    await session.ready();
    expect(session.user()?.role).toBe('admin');
    expect(session.summary()?.cartItems).toBe(2);

    expectTypeOf(session).toEqualTypeOf<SessionService<AppSummary>>();
    expectTypeOf(session.user()).toEqualTypeOf<(SessionUser & { role: 'admin' | 'member' }) | null>();
    expectTypeOf(session.ready()).resolves.toEqualTypeOf<AppSummary>();
  });

  it('defaults to the plain SessionSummary', async () => {
    const http = setup();
    const session = runInInjectionContext(TestBed.inject(Injector), () => injectSession());
    http.expectOne('/api/session').flush({ authenticated: false });
    expectTypeOf(session).toEqualTypeOf<SessionService<SessionSummary>>();
    await expect(session.ready()).resolves.toEqual({ authenticated: false });
  });

  it('throws outside an injection context, like inject()', () => {
    expect(() => injectSession()).toThrow(/NG0203/);
  });
});
