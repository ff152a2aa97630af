import { HttpClient } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { describe, expect, it } from 'vitest';

import { ALICE, ANONYMOUS, setup, tick, verifyHttpAfterEach } from '../test-helpers';
import { provideSession, withUnauthorizedRefresh } from './provide-session';
import { SessionService } from './session.service';

describe('sessionUnauthorizedInterceptor', () => {
  let http: HttpTestingController;

  verifyHttpAfterEach();

  async function signedIn(providers = [provideSession()]): Promise<SessionService> {
    http = setup({ providers });
    const session = TestBed.inject(SessionService);
    http.expectOne('/api/session').flush(ALICE);
    await session.ready();
    return session;
  }

  function callApi(): { error: unknown } {
    const outcome: { error: unknown } = { error: undefined };
    TestBed.inject(HttpClient)
      .get('/api/orders')
      .subscribe({ error: (error: unknown) => (outcome.error = error) });
    return outcome;
  }

  it('re-reads the summary when an API call answers 401, and still hands the error to the caller', async () => {
    const session = await signedIn();
    const outcome = callApi();
    http.expectOne('/api/orders').flush(null, { status: 401, statusText: 'Unauthorized' });
    expect(outcome.error).toMatchObject({ status: 401 });

    http.expectOne('/api/session').flush(ANONYMOUS);
    await tick();
    expect(session.status()).toBe('anonymous');
  });

  it('shares one summary read between API calls that fail together', async () => {
    await signedIn();
    callApi();
    callApi();
    for (const req of http.match('/api/orders')) req.flush(null, { status: 401, statusText: 'Unauthorized' });
    http.expectOne('/api/session').flush(ANONYMOUS);
    await tick();
  });

  it('does not answer a 401 from the summary itself with another read', async () => {
    const session = await signedIn();
    const refreshed = session.refresh();
    http.expectOne('/api/session').flush(null, { status: 401, statusText: 'Unauthorized' });
    await expect(refreshed).rejects.toMatchObject({ status: 401 });
    await tick();
    http.expectNone('/api/session');
    expect(session.status()).toBe('error');
  });

  it('leaves a 401 from the logout request to logout()', async () => {
    const session = await signedIn();
    const done = session.logout();
    http.expectOne('/api/auth/logout').flush(null, { status: 401, statusText: 'Unauthorized' });
    await expect(done).rejects.toMatchObject({ status: 401 });
    await tick();
    http.expectNone('/api/session');
  });

  it('ignores other errors', async () => {
    await signedIn();
    callApi();
    http.expectOne('/api/orders').flush(null, { status: 403, statusText: 'Forbidden' });
    callApi();
    http.expectOne('/api/orders').flush(null, { status: 500, statusText: 'Server Error' });
    await tick();
    http.expectNone('/api/session');
  });

  it('leaves a 401 alone while the visitor is already anonymous (a failed login, say)', async () => {
    http = setup({ providers: [provideSession()] });
    const session = TestBed.inject(SessionService);
    http.expectOne('/api/session').flush(ANONYMOUS);
    await session.ready();
    callApi();
    http.expectOne('/api/orders').flush(null, { status: 401, statusText: 'Unauthorized' });
    await tick();
    http.expectNone('/api/session');
    expect(session.status()).toBe('anonymous');
  });

  it('is off with withUnauthorizedRefresh(false)', async () => {
    await signedIn([provideSession(withUnauthorizedRefresh(false))]);
    callApi();
    http.expectOne('/api/orders').flush(null, { status: 401, statusText: 'Unauthorized' });
    await tick();
    http.expectNone('/api/session');
  });
});
