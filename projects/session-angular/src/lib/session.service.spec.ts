import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { describe, expect, it } from 'vitest';

import { ALICE, ANONYMOUS, setup, verifyHttpAfterEach } from '../test-helpers';
import { provideSession, withLogoutUrl, withSummaryUrl } from './provide-session';
import { SessionService } from './session.service';

describe('SessionService', () => {
  let http: HttpTestingController;

  verifyHttpAfterEach();

  it('is loading until the first summary, then exposes an authenticated session', async () => {
    http = setup();
    const session = TestBed.inject(SessionService);
    expect(session.status()).toBe('loading');
    expect(session.summary()).toBeNull();

    const req = http.expectOne('/api/session');
    expect(req.request.method).toBe('GET');
    req.flush(ALICE);
    await expect(session.ready()).resolves.toEqual(ALICE);

    expect(session.status()).toBe('authenticated');
    expect(session.isAuthenticated()).toBe(true);
    expect(session.user()).toEqual({ id: 'u1', name: 'Alice' });
    expect(session.summary()).toEqual(ALICE);
  });

  it('exposes an anonymous session with no user', async () => {
    http = setup();
    const session = TestBed.inject(SessionService);
    http.expectOne('/api/session').flush(ANONYMOUS);
    await session.ready();

    expect(session.status()).toBe('anonymous');
    expect(session.isAuthenticated()).toBe(false);
    expect(session.user()).toBeNull();
  });

  it('keeps the app-chosen fields of the summary', async () => {
    http = setup();
    const session = TestBed.inject(SessionService) as SessionService<{ authenticated: boolean; cartItems: number }>;
    http.expectOne('/api/session').flush({ authenticated: false, cartItems: 3 });
    expect((await session.ready()).cartItems).toBe(3);
    expect(session.summary()?.cartItems).toBe(3);
  });

  it('shares one request between concurrent refresh() calls', async () => {
    http = setup();
    const session = TestBed.inject(SessionService);
    http.expectOne('/api/session').flush(ANONYMOUS);
    await session.ready();

    const first = session.refresh();
    const second = session.refresh();
    const third = session.ready();
    http.expectOne('/api/session').flush(ALICE);

    await expect(first).resolves.toEqual(ALICE);
    await expect(second).resolves.toEqual(ALICE);
    await expect(third).resolves.toEqual(ANONYMOUS);
    expect(session.status()).toBe('authenticated');
  });

  it('does not let refresh() share a background read that may predate a login', async () => {
    http = setup();
    const session = TestBed.inject(SessionService);
    const refreshed = session.refresh();
    const [first, second] = http.match('/api/session');
    expect(second).toBeDefined();
    second.flush(ALICE);
    await expect(refreshed).resolves.toEqual(ALICE);
    first.flush(ANONYMOUS);
    await Promise.resolve();
    expect(session.status()).toBe('authenticated');
  });

  it('starts a new request for a refresh() after the previous one settled', async () => {
    http = setup();
    const session = TestBed.inject(SessionService);
    http.expectOne('/api/session').flush(ANONYMOUS);
    await session.ready();

    const refreshed = session.refresh();
    http.expectOne('/api/session').flush(ALICE);
    await refreshed;
    const again = session.refresh();
    http.expectOne('/api/session').flush(ANONYMOUS);
    await again;
    expect(session.status()).toBe('anonymous');
  });

  it('keeps the same summary object when a read answers the same JSON', async () => {
    http = setup();
    const session = TestBed.inject(SessionService);
    http.expectOne('/api/session').flush(ALICE);
    await session.ready();
    const before = session.summary();

    const refreshed = session.refresh();
    http.expectOne('/api/session').flush({ ...ALICE, user: { ...ALICE.user } });
    await refreshed;
    expect(session.summary()).toBe(before);
  });

  it('reports an error when the summary cannot be read, and ready() tries again', async () => {
    http = setup();
    const session = TestBed.inject(SessionService);
    const ready = session.ready();
    http.expectOne('/api/session').flush('boom', { status: 500, statusText: 'Server Error' });
    await expect(ready).rejects.toMatchObject({ status: 500 });
    expect(session.status()).toBe('error');
    expect(session.isAuthenticated()).toBe(false);

    const retry = session.ready();
    http.expectOne('/api/session').flush(ALICE);
    await expect(retry).resolves.toEqual(ALICE);
    expect(session.status()).toBe('authenticated');
  });

  it('rejects an answer that is not a session summary, naming the fix', async () => {
    http = setup();
    const session = TestBed.inject(SessionService);
    const ready = session.ready();
    http.expectOne('/api/session').flush({ ok: true });
    await expect(ready).rejects.toThrow(/GET \/api\/session did not answer .*withSummaryUrl\(\)/);
    expect(session.status()).toBe('error');
  });

  it('logout() POSTs the logout URL, then reads the summary again', async () => {
    http = setup();
    const session = TestBed.inject(SessionService);
    http.expectOne('/api/session').flush(ALICE);
    await session.ready();

    const done = session.logout();
    const post = http.expectOne('/api/auth/logout');
    expect(post.request.method).toBe('POST');
    post.flush({ authenticated: false });
    await Promise.resolve();
    http.expectOne('/api/session').flush(ANONYMOUS);
    await done;

    expect(session.status()).toBe('anonymous');
    expect(session.user()).toBeNull();
  });

  it('logout() does not trust a summary read that started before it', async () => {
    http = setup();
    const session = TestBed.inject(SessionService);
    http.expectOne('/api/session').flush(ALICE);
    await session.ready();

    const stale = session.refresh();
    const done = session.logout();
    const staleReq = http.expectOne('/api/session');
    http.expectOne('/api/auth/logout').flush({ authenticated: false });
    await Promise.resolve();
    const fresh = http.match('/api/session');
    expect(fresh).toHaveLength(1);
    fresh[0].flush(ANONYMOUS);
    await done;
    staleReq.flush(ALICE);
    await stale;

    expect(session.status()).toBe('anonymous');
  });

  it('logout() rejects and changes nothing when the POST fails', async () => {
    http = setup();
    const session = TestBed.inject(SessionService);
    http.expectOne('/api/session').flush(ALICE);
    await session.ready();

    const done = session.logout();
    http.expectOne('/api/auth/logout').flush(null, { status: 503, statusText: 'Unavailable' });
    await expect(done).rejects.toMatchObject({ status: 503 });
    expect(session.status()).toBe('authenticated');
  });
});

describe('provideSession()', () => {
  let http: HttpTestingController;

  verifyHttpAfterEach();

  it('reads the summary as soon as the app starts', () => {
    http = setup({ providers: [provideSession()] });
    http.expectOne('/api/session').flush(ANONYMOUS);
  });

  it('uses the URLs given by withSummaryUrl() and withLogoutUrl()', async () => {
    http = setup({ providers: [provideSession(withSummaryUrl('/auth/me'), withLogoutUrl('/auth/bye'))] });
    const session = TestBed.inject(SessionService);
    http.expectOne('/auth/me').flush(ALICE);
    await session.ready();

    const done = session.logout();
    http.expectOne('/auth/bye').flush({ authenticated: false });
    await Promise.resolve();
    http.expectOne('/auth/me').flush(ANONYMOUS);
    await done;
    expect(session.status()).toBe('anonymous');
  });

  it('refuses the same feature twice', () => {
    http = setup();
    expect(() => provideSession(withSummaryUrl('/a'), withSummaryUrl('/b'))).toThrow(
      "[@analog-tools/session-angular] provideSession(): the 'summary-url' feature was passed twice. Keep one.",
    );
  });
});
