import { HttpClient, HttpInterceptorFn, HttpRequest, HttpResponse } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { REQUEST } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { firstValueFrom, of } from 'rxjs';
import { describe, expect, it } from 'vitest';

import { ANONYMOUS, setup, verifyHttpAfterEach } from '../test-helpers';
import { provideSession, withServerCookieForwarding, withSummaryUrl, withXsrf } from './provide-session';

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

  it("forwards to absolute URLs on the incoming request's origin (page server loads, injectBaseURL())", () => {
    http = setup({ platform: 'server', providers: [incoming()] });
    const urls = ['http://app.test/api/_analog/pages/account', 'http://APP.test:80/api/orders', 'http:/app.test/api/orders'];
    urls.forEach((url) => get(url));
    for (const url of urls) expect(http.expectOne(url).request.headers.get('cookie'), url).toBe(COOKIE);
  });

  // Each of these reaches a host other than http://app.test when fetched on the server.
  const otherOrigins = [
    '//evil.test/steal',
    '/\\evil.test/steal',
    '\\\\evil.test/steal',
    'http://app.test.evil.test/steal',
    'http://app.test@evil.test/steal',
    'http://evil.test/?http://app.test',
    'http:evil.test/steal',
    'http://app.test:8080/steal',
    'https://app.test/steal',
    'ws://app.test/steal',
    'data:text/plain,app.test',
  ];

  it('never forwards to another host, port or scheme, however the URL is spelled', () => {
    http = setup({ platform: 'server', providers: [incoming()] });
    otherOrigins.forEach((url) => get(url));
    for (const url of otherOrigins) expect(http.expectOne(url).request.headers.has('cookie'), url).toBe(false);
  });

  it("takes a Node request's origin from its Host header, and forwards nowhere else", () => {
    const nodeRequest = { headers: { cookie: COOKIE, host: 'app.test' }, url: '/account' };
    http = setup({
      platform: 'server',
      providers: [provideSession(withServerCookieForwarding({ request: () => nodeRequest }))],
    });
    http.expectOne('/api/session').flush(JSON.stringify(ANONYMOUS));
    get('http://app.test/api/orders');
    otherOrigins.forEach((url) => get(url));
    expect(http.expectOne('http://app.test/api/orders').request.headers.get('cookie')).toBe(COOKIE);
    for (const url of otherOrigins) expect(http.expectOne(url).request.headers.has('cookie'), url).toBe(false);
  });

  it('uses the origin given to withServerCookieForwarding() (Analog: injectBaseURL)', () => {
    const nodeRequest = { headers: { cookie: COOKIE, host: 'internal:3000' } };
    http = setup({
      platform: 'server',
      providers: [provideSession(withServerCookieForwarding({ request: () => nodeRequest, origin: () => 'https://app.test' }))],
    });
    http.expectOne('/api/session').flush(JSON.stringify(ANONYMOUS));
    get('https://app.test/api/orders');
    get('http://internal:3000/api/orders');
    expect(http.expectOne('https://app.test/api/orders').request.headers.get('cookie')).toBe(COOKIE);
    expect(http.expectOne('http://internal:3000/api/orders').request.headers.has('cookie')).toBe(false);
  });

  it('forwards only relative URLs when the incoming request names no origin', () => {
    const nodeRequest = { headers: { cookie: COOKIE } };
    http = setup({
      platform: 'server',
      providers: [provideSession(withServerCookieForwarding({ request: () => nodeRequest }))],
    });
    http.expectOne('/api/session').flush(JSON.stringify(ANONYMOUS));
    get('/api/orders');
    get('http://localhost/api/orders');
    expect(http.expectOne('/api/orders').request.headers.get('cookie')).toBe(COOKIE);
    expect(http.expectOne('http://localhost/api/orders').request.headers.has('cookie')).toBe(false);
  });

  it("carries Nitro's prerender header to same-origin calls, so the server knows them for build-time calls", () => {
    const prerender = { provide: REQUEST, useValue: new Request('http://app.test/', { headers: { 'x-nitro-prerender': '/' } }) };
    http = setup({ platform: 'server', providers: [prerender] });
    get('/api/orders');
    get('https://tracker.example/pixel');
    const sameOrigin = http.expectOne('/api/orders').request.headers;
    expect(sameOrigin.get('x-nitro-prerender')).toBe('/');
    expect(sameOrigin.has('cookie')).toBe(false);
    expect(http.expectOne('https://tracker.example/pixel').request.headers.has('x-nitro-prerender')).toBe(false);
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

  describe('the session CSRF token on unsafe requests', () => {
    const WITH_TOKEN = 'sid=s%3Aabc.def; XSRF-TOKEN=tok-en_42; theme=dark';
    const incomingWith = (cookie: string) => ({
      provide: REQUEST,
      useValue: new Request('http://app.test/account', { headers: { cookie } }),
    });
    const post = (url: string, headers?: Record<string, string>) => TestBed.inject(HttpClient).post(url, {}, { headers }).subscribe();

    it('sends the incoming XSRF-TOKEN cookie as X-XSRF-TOKEN on a POST made while rendering, as the browser would', () => {
      http = setup({ platform: 'server', providers: [incomingWith(WITH_TOKEN)] });
      post('/api/visits');
      post('http://app.test/api/other');
      TestBed.inject(HttpClient).delete('/api/thing').subscribe();
      for (const url of ['/api/visits', 'http://app.test/api/other', '/api/thing']) {
        const { headers } = http.expectOne(url).request;
        expect(headers.get('X-XSRF-TOKEN'), url).toBe('tok-en_42');
        expect(headers.get('cookie'), url).toBe(WITH_TOKEN);
      }
    });

    it('never on a GET, to another origin, over a header already set, or without the cookie', () => {
      http = setup({ platform: 'server', providers: [incomingWith(WITH_TOKEN)] });
      get('/api/orders');
      post('https://evil.example/api');
      post('/api/own', { 'X-XSRF-TOKEN': 'mine' });
      expect(http.expectOne('/api/orders').request.headers.has('X-XSRF-TOKEN')).toBe(false);
      expect(http.expectOne('https://evil.example/api').request.headers.has('X-XSRF-TOKEN')).toBe(false);
      expect(http.expectOne('/api/own').request.headers.get('X-XSRF-TOKEN')).toBe('mine');
      TestBed.resetTestingModule();
      http = setup({ platform: 'server', providers: [incoming()] });
      post('/api/visits');
      expect(http.expectOne('/api/visits').request.headers.has('X-XSRF-TOKEN')).toBe(false);
    });

    it('reads the names withXsrf() gives, and nothing with withXsrf(false)', () => {
      const cookie = 'sid=s%3Aabc.def; CSRF=t1';
      http = setup({
        platform: 'server',
        providers: [incomingWith(cookie), provideSession(withXsrf({ cookieName: 'CSRF', headerName: 'X-CSRF' }))],
      });
      http.expectOne('/api/session').flush(ANONYMOUS);
      post('/api/visits');
      expect(http.expectOne('/api/visits').request.headers.get('X-CSRF')).toBe('t1');
      TestBed.resetTestingModule();
      http = setup({ platform: 'server', providers: [incomingWith(WITH_TOKEN), provideSession(withXsrf(false))] });
      http.expectOne('/api/session').flush(ANONYMOUS);
      post('/api/visits');
      expect(http.expectOne('/api/visits').request.headers.has('X-XSRF-TOKEN')).toBe(false);
    });
  });
});
