import { HttpClient, HttpInterceptorFn, HttpRequest, HttpResponse } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { REQUEST } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom, of } from 'rxjs';
import { describe, expect, it } from 'vitest';

import { ANONYMOUS, setup, verifyHttpAfterEach } from '../test-helpers';
import { provideSession, withServerCookieForwarding, withSummaryUrl } from './provide-session';

const COOKIE = 'sid=s%3Aabc.def; theme=dark';
const incoming = () => ({ provide: REQUEST, useValue: new Request('http://app.test/account', { headers: { cookie: COOKIE } }) });

describe('sessionCookieForwardingInterceptor', () => {
  let http: HttpTestingController;

  verifyHttpAfterEach();

  function get(url: string, headers?: Record<string, string>): void {
    TestBed.inject(HttpClient).get(url, { headers }).subscribe();
  }

  it("copies the incoming cookie from Angular's REQUEST onto relative URLs on the server", () => {
    http = setup({ platform: 'server', providers: [incoming()] });
    get('/api/orders');
    expect(http.expectOne('/api/orders').request.headers.get('cookie')).toBe(COOKIE);
  });

  it('reads a Node IncomingMessage from the request source given to withServerCookieForwarding()', () => {
    const nodeRequest = { headers: { cookie: COOKIE, host: 'app.test' } };
    http = setup({
      platform: 'server',
      providers: [provideSession(withServerCookieForwarding({ request: () => nodeRequest }))],
    });
    http.expectOne('/api/session').flush(ANONYMOUS);
    get('/api/orders');
    expect(http.expectOne('/api/orders').request.headers.get('cookie')).toBe(COOKIE);
  });

  it('never sends the cookie to another origin', () => {
    http = setup({ platform: 'server', providers: [incoming()] });
    get('https://tracker.example/pixel');
    get('//tracker.example/pixel');
    expect(http.expectOne('https://tracker.example/pixel').request.headers.has('cookie')).toBe(false);
    expect(http.expectOne('//tracker.example/pixel').request.headers.has('cookie')).toBe(false);
  });

  it('forwards to an absolute summary URL the app configured', () => {
    http = setup({ platform: 'server', providers: [incoming(), provideSession(withSummaryUrl('https://app.test/api/session'))] });
    const req = http.expectOne('https://app.test/api/session');
    expect(req.request.headers.get('cookie')).toBe(COOKIE);
    req.flush(JSON.stringify(ANONYMOUS));
  });

  it('forwards to the URLs shouldForward() accepts', () => {
    http = setup({
      platform: 'server',
      providers: [
        incoming(),
        provideSession(
          withServerCookieForwarding({ shouldForward: (req: HttpRequest<unknown>) => req.url.startsWith('https://api.app.test/') }),
        ),
      ],
    });
    http.expectOne('/api/session').flush(ANONYMOUS);
    get('https://api.app.test/orders');
    get('/api/orders');
    expect(http.expectOne('https://api.app.test/orders').request.headers.get('cookie')).toBe(COOKIE);
    expect(http.expectOne('/api/orders').request.headers.has('cookie')).toBe(false);
  });

  it('keeps a cookie header the request already has', () => {
    http = setup({ platform: 'server', providers: [incoming()] });
    get('/api/orders', { cookie: 'other=1' });
    expect(http.expectOne('/api/orders').request.headers.get('cookie')).toBe('other=1');
  });

  it('does nothing in the browser, which sends cookies itself', () => {
    http = setup({ platform: 'browser', providers: [incoming()] });
    get('/api/orders');
    expect(http.expectOne('/api/orders').request.headers.has('cookie')).toBe(false);
  });

  it('does nothing when no request is provided', () => {
    http = setup({ platform: 'server' });
    get('/api/orders');
    expect(http.expectOne('/api/orders').request.headers.has('cookie')).toBe(false);
  });

  it('hands the cookie to an interceptor after it that answers without calling next()', async () => {
    // Stands in for Analog's requestContextInterceptor, which answers /api/... in-process.
    let seen: string | null = null;
    const inProcess: HttpInterceptorFn = (req) => {
      seen = req.headers.get('cookie');
      return of(new HttpResponse({ status: 200, body: { ok: true } }));
    };
    http = setup({ platform: 'server', providers: [incoming()], after: [inProcess] });
    await firstValueFrom(TestBed.inject(HttpClient).get('/api/orders'));
    expect(seen).toBe(COOKIE);
  });
});
