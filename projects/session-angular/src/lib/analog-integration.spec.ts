import { HttpInterceptorFn } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { APP_ID, ErrorHandler, Provider, TransferState } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { requestContextInterceptor } from '@analogjs/router';
import { API_PREFIX, BASE_URL, REQUEST as ANALOG_REQUEST, injectRequest } from '@analogjs/router/tokens';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ALICE, ANONYMOUS, setup, verifyHttpAfterEach } from '../test-helpers';
import { provideSession, withServerCookieForwarding } from './provide-session';
import { sessionCookieForwardingInterceptor } from './session-cookie-forwarding.interceptor';
import { sessionUnauthorizedInterceptor } from './session-unauthorized.interceptor';
import { SESSION_SUMMARY_STATE_KEY, SessionService } from './session.service';

const COOKIE = 'sid=s%3Aabc.def';

/** Server rendering under Analog, as `provideServerContext()` sets it up, with Nitro's in-process `$fetch`. */
function renderUnderAnalog(interceptors: HttpInterceptorFn[], extra: Provider[] = []) {
  const raw = vi.fn(async (_url: string, _options: { headers: Record<string, string> }) => ({
    _data: JSON.stringify(ALICE),
    headers: { 'content-type': 'application/json' },
  }));
  vi.stubGlobal('$fetch', { raw });
  const http = setup({
    platform: 'server',
    interceptors,
    providers: [
      { provide: ANALOG_REQUEST, useValue: { headers: { cookie: COOKIE, host: 'app.test' }, originalUrl: '/account' } },
      { provide: BASE_URL, useValue: 'http://app.test' },
      { provide: API_PREFIX, useValue: 'api' },
      provideSession(withServerCookieForwarding({ request: injectRequest })),
      ...extra,
    ],
  });
  return { http, raw };
}

describe("with Analog's requestContextInterceptor", () => {
  verifyHttpAfterEach();
  afterEach(() => {
    vi.unstubAllGlobals();
    document.getElementById('ng-state')?.remove();
  });

  it('the summary answered in-process carries the cookie and lands in TransferState', async () => {
    const { raw } = renderUnderAnalog([sessionUnauthorizedInterceptor, sessionCookieForwardingInterceptor, requestContextInterceptor]);
    const session = TestBed.inject(SessionService);
    await expect(session.ready()).resolves.toEqual(ALICE);

    expect(raw).toHaveBeenCalledTimes(1);
    const [url, options] = raw.mock.calls[0];
    expect(url).toBe('/api/session');
    expect(options.headers['cookie']).toBe(COOKIE);
    expect(session.status()).toBe('authenticated');
    expect(TestBed.inject(TransferState).get(SESSION_SUMMARY_STATE_KEY, null)).toEqual(ALICE);
  });

  it('placed after requestContextInterceptor, the cookie never reaches the endpoint, and the read fails naming the fix', async () => {
    const handleError = vi.fn();
    const { raw } = renderUnderAnalog(
      [requestContextInterceptor, sessionCookieForwardingInterceptor],
      [{ provide: ErrorHandler, useValue: { handleError } }],
    );
    const session = TestBed.inject(SessionService);
    await expect(session.ready()).rejects.toThrow(/before sessionCookieForwardingInterceptor saw it.*withAnalog\(\)/);
    expect(raw.mock.calls[0][1].headers['cookie']).toBeUndefined();
    expect(session.status()).toBe('error');
    // Nothing transferred: the browser reads the visitor's summary itself.
    expect(TestBed.inject(TransferState).hasKey(SESSION_SUMMARY_STATE_KEY)).toBe(false);
    expect(handleError).toHaveBeenCalledWith(expect.objectContaining({ message: expect.stringContaining('requestContextInterceptor') }));
  });

  it("a browser refresh after hydration reaches the server, not Analog's TransferState copy of the render", async () => {
    renderUnderAnalog([sessionUnauthorizedInterceptor, sessionCookieForwardingInterceptor, requestContextInterceptor]);
    await TestBed.inject(SessionService).ready();
    const state = TestBed.inject(TransferState).toJson();
    // Analog kept its own copy of the in-process answer too.
    expect(Object.keys(JSON.parse(state)).some((key) => key.startsWith('analog_'))).toBe(true);

    TestBed.resetTestingModule();
    vi.unstubAllGlobals();
    const script = document.createElement('script');
    script.id = 'ng-state';
    script.type = 'application/json';
    script.textContent = state;
    document.body.appendChild(script);
    const http = setup({
      platform: 'browser',
      interceptors: [sessionUnauthorizedInterceptor, sessionCookieForwardingInterceptor, requestContextInterceptor],
      providers: [{ provide: APP_ID, useValue: 'ng' }, { provide: API_PREFIX, useValue: 'api' }, provideSession()],
    });
    const session = TestBed.inject(SessionService);
    expect(session.status()).toBe('authenticated');
    http.expectNone(() => true);

    // After a logout elsewhere, say: the browser must see the server's new answer.
    const refreshed = session.refresh();
    http.expectOne(`${window.location.origin}/api/session`).flush(ANONYMOUS);
    await expect(refreshed).resolves.toEqual(ANONYMOUS);
    expect(session.status()).toBe('anonymous');
  });
});
