import { HttpClient, HttpInterceptorFn, provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { APP_ID, EnvironmentProviders, ErrorHandler, Provider, REQUEST, TransferState } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { requestContextInterceptor } from '@analogjs/router';
import { API_PREFIX, BASE_URL, REQUEST as ANALOG_REQUEST } from '@analogjs/router/tokens';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { provideSession } from '../../src/lib/provide-session';
import { SESSION_SUMMARY_STATE_KEY, STATIC_SUMMARY_STATE_KEY, SessionService } from '../../src/lib/session.service';
import { ALICE, ANONYMOUS, setup, verifyHttpAfterEach } from '../../src/test-helpers';
import { withAnalog } from './with-analog';

const COOKIE = 'sid=s%3Aabc.def';
const ACCOUNT = { email: 'alice@app.test' };

/** The line of Analog's app template that `provideSession(withAnalog())` replaces. */
const templateLine = () => provideHttpClient(withFetch(), withInterceptors([requestContextInterceptor]));

/**
 * Nitro's in-process `$fetch`, as Analog's requestContextInterceptor calls it during server rendering: it answers
 * like the app's server would, by the cookie it is given.
 */
function stubNitroFetch() {
  const raw = vi.fn(async (url: string, options: { headers: Record<string, string>; responseType: string }) => {
    const signedIn = options.headers['cookie'] === COOKIE;
    const body = url === '/api/session' ? (signedIn ? ALICE : ANONYMOUS) : signedIn ? ACCOUNT : null;
    return { _data: options.responseType === 'text' ? JSON.stringify(body) : body, headers: { 'content-type': 'application/json' } };
  });
  vi.stubGlobal('$fetch', { raw });
  return raw;
}

/** The request Analog 2.7 hands `injectRequest()`: the Node request (here a stand-in with its own `headers`). */
const NODE_REQUEST = { headers: { cookie: COOKIE, host: 'app.test' }, url: '/account', originalUrl: '/account' };

interface RenderOptions {
  /** What Analog's `injectRequest()` returns. @default NODE_REQUEST */
  analogRequest?: unknown;
  /** Angular's `REQUEST` token, when something provides it. */
  angularRequest?: Request;
  /** Analog's `BASE_URL`. @default 'http://app.test' */
  baseURL?: string;
}

/** A server render under Analog (the providers `provideServerContext()` adds) with the app's config. */
function renderUnderAnalog(config: Array<Provider | EnvironmentProviders>, options: RenderOptions = {}) {
  const { analogRequest = NODE_REQUEST, angularRequest, baseURL = 'http://app.test' } = options;
  const raw = stubNitroFetch();
  const http = setup({
    platform: 'server',
    httpClient: false,
    providers: [
      { provide: ANALOG_REQUEST, useValue: analogRequest },
      ...(angularRequest ? [{ provide: REQUEST, useValue: angularRequest }] : []),
      { provide: BASE_URL, useValue: baseURL },
      { provide: API_PREFIX, useValue: 'api' },
      ...config,
    ],
  });
  return { http, raw };
}

const cookieOf = (raw: ReturnType<typeof stubNitroFetch>, url: string) =>
  raw.mock.calls.find(([called]) => called === url)?.[1].headers['cookie'];

describe('provideSession(withAnalog())', () => {
  verifyHttpAfterEach();
  afterEach(() => {
    vi.unstubAllGlobals();
    document.getElementById('ng-state')?.remove();
  });

  describe.each([
    ['in place of the template line', () => [provideSession(withAnalog())]],
    ['with the template line kept after it', () => [provideSession(withAnalog()), templateLine()]],
  ])('%s, during server rendering', (_name, config) => {
    it("reads the summary in-process with the visitor's cookie and hands it to the browser", async () => {
      const { raw } = renderUnderAnalog(config());
      const session = TestBed.inject(SessionService);
      await expect(session.ready()).resolves.toEqual(ALICE);
      expect(raw).toHaveBeenCalledTimes(1);
      expect(cookieOf(raw, '/api/session')).toBe(COOKIE);
      expect(TestBed.inject(TransferState).get(SESSION_SUMMARY_STATE_KEY, null)).toEqual(ALICE);
    });

    it("forwards the cookie to a page server load's absolute same-origin URL", async () => {
      const { raw } = renderUnderAnalog(config());
      await TestBed.inject(SessionService).ready();
      // What Analog's route resolver requests for src/app/pages/account.server.ts during SSR.
      const data = await firstValueFrom(TestBed.inject(HttpClient).get('http://app.test/api/_analog/pages/account'));
      expect(data).toEqual(ACCOUNT);
      expect(cookieOf(raw, '/api/_analog/pages/account')).toBe(COOKIE);
    });

    it('never forwards the cookie to another origin', async () => {
      const { http, raw } = renderUnderAnalog(config());
      await TestBed.inject(SessionService).ready();
      const client = TestBed.inject(HttpClient);
      for (const url of ['http://evil.test/steal', 'https://app.test/steal', 'http:evil.test/steal']) {
        client.get(url).subscribe({ error: () => undefined });
        expect(http.expectOne(url).request.headers.has('cookie'), url).toBe(false);
      }
      // requestContextInterceptor matches '/' and BASE_URL by prefix and answers these in-process: without the cookie.
      for (const url of [
        '//evil.test/steal',
        'http://app.test.evil.test/steal',
        'http://app.test:8080/steal',
        'http://app.test@evil.test/steal',
      ]) {
        raw.mockClear();
        await firstValueFrom(client.get(url));
        expect(raw, url).toHaveBeenCalledTimes(1);
        expect(raw.mock.calls[0][1].headers['cookie'], url).toBeUndefined();
      }
    });
  });

  it("sends the visitor's CSRF token with a POST Nitro answers in-process while rendering (the server's csrf option)", async () => {
    const withToken = `${COOKIE}; XSRF-TOKEN=tok-en_42`;
    const { raw } = renderUnderAnalog([provideSession(withAnalog())], {
      analogRequest: { ...NODE_REQUEST, headers: { ...NODE_REQUEST.headers, cookie: withToken } },
    });
    await TestBed.inject(SessionService).ready();
    await firstValueFrom(TestBed.inject(HttpClient).post('/api/visits', {}));
    const [, options] = raw.mock.calls.find(([url]) => url === '/api/visits')!;
    expect(options.headers['cookie']).toBe(withToken);
    expect(options.headers['X-XSRF-TOKEN'] ?? options.headers['x-xsrf-token']).toBe('tok-en_42');
  });

  it("runs the app's own interceptors before requestContextInterceptor, so in-process calls pass them", async () => {
    const seen: string[] = [];
    const mine: HttpInterceptorFn = (req, next) => {
      seen.push(req.url);
      return next(req.clone({ setHeaders: { 'x-app': '1' } }));
    };
    const { raw } = renderUnderAnalog([provideSession(withAnalog({ interceptors: [mine] }))]);
    await TestBed.inject(SessionService).ready();
    expect(seen).toEqual(['/api/session']);
    expect(raw.mock.calls[0][1].headers['x-app']).toBe('1');
  });

  it('with the template line kept BEFORE it, fails the summary read and reports the fix', async () => {
    const handleError = vi.fn();
    const { raw } = renderUnderAnalog([templateLine(), provideSession(withAnalog()), { provide: ErrorHandler, useValue: { handleError } }]);
    const session = TestBed.inject(SessionService);
    await expect(session.ready()).rejects.toThrow(/before sessionCookieForwardingInterceptor saw it/);
    // What went wrong: requestContextInterceptor answered first, without the cookie.
    expect(cookieOf(raw, '/api/session')).toBeUndefined();
    expect(session.status()).toBe('error');
    expect(TestBed.inject(TransferState).hasKey(SESSION_SUMMARY_STATE_KEY)).toBe(false);
    expect(handleError).toHaveBeenCalledTimes(1);
    expect(handleError.mock.calls[0][0].message).toContain("provideSession(withAnalog()) from '@analog-tools/session-angular/analog'");
  });

  describe('reads the incoming request in each shape it comes in', () => {
    /** A real Node request, as Node's HTTP server makes it, with the visitor's headers. */
    function nodeRequest(): IncomingMessage {
      const request = new IncomingMessage(new Socket());
      request.headers = { cookie: COOKIE, host: 'app.test', 'user-agent': 'test' };
      request.url = '/account';
      return request;
    }

    async function render(options: RenderOptions) {
      const { raw } = renderUnderAnalog([provideSession(withAnalog())], options);
      const summary = await TestBed.inject(SessionService).ready();
      const state = TestBed.inject(TransferState);
      return { summary, cookie: cookieOf(raw, '/api/session'), isStatic: state.get(STATIC_SUMMARY_STATE_KEY, false) };
    }

    it("Angular's REQUEST token (a Fetch Request) wins over Analog's request", async () => {
      const angularRequest = new Request('http://app.test/account', { headers: { cookie: COOKIE } });
      const { summary, cookie, isStatic } = await render({ angularRequest, analogRequest: { ...nodeRequest() } });
      expect({ summary, cookie, isStatic }).toEqual({ summary: ALICE, cookie: COOKIE, isStatic: false });
    });

    it("Analog's injectRequest(), a Node request with its headers: the visitor's own render", async () => {
      const { summary, cookie, isStatic } = await render({ analogRequest: nodeRequest() });
      expect({ summary, cookie, isStatic }).toEqual({ summary: ALICE, cookie: COOKIE, isStatic: false });
    });

    it('a spread copy of the Node request (Analog on Nitro 3) has no headers: the visitor is unknown, not anonymous', async () => {
      const spread = { ...nodeRequest(), url: '/account', originalUrl: '/account' };
      expect(spread.headers).toBeUndefined(); // Node keeps `headers` on IncomingMessage's prototype
      const { summary, cookie, isStatic } = await render({ analogRequest: spread, baseURL: 'http://localhost' });
      // Read without a cookie, so marked: the browser shows it while hydrating, then reads the visitor's own.
      expect({ summary, cookie, isStatic }).toEqual({ summary: ANONYMOUS, cookie: undefined, isStatic: true });
    });

    it('the stub Analog on Nitro 3 passes while prerendering (only a made-up Host, no prerender header): a static render', async () => {
      const stub = { headers: { host: 'localhost' }, url: '/', originalUrl: '/', connection: {} };
      const { summary, cookie, isStatic } = await render({ analogRequest: stub, baseURL: 'http://localhost' });
      expect({ summary, cookie, isStatic }).toEqual({ summary: ANONYMOUS, cookie: undefined, isStatic: true });
    });
  });

  it('rejects being passed twice', () => {
    expect(() => provideSession(withAnalog(), withAnalog())).toThrow(/'analog' feature was passed twice/);
  });

  it('in the browser, hydrates without a request and later reads through HttpClient at the page origin', async () => {
    const { http: serverHttp } = renderUnderAnalog([provideSession(withAnalog())]);
    await TestBed.inject(SessionService).ready();
    serverHttp.verify();
    const state = TestBed.inject(TransferState).toJson();
    TestBed.resetTestingModule();
    vi.unstubAllGlobals();

    const script = document.createElement('script');
    script.id = 'ng-state';
    script.type = 'application/json';
    script.textContent = state;
    document.body.appendChild(script);
    const http = setup({
      platform: 'browser',
      httpClient: false,
      providers: [{ provide: APP_ID, useValue: 'ng' }, { provide: API_PREFIX, useValue: 'api' }, provideSession(withAnalog())],
    });
    const session = TestBed.inject(SessionService);
    expect(session.status()).toBe('authenticated');
    TestBed.tick();
    http.expectNone(() => true);

    const refreshed = session.refresh();
    http.expectOne(`${window.location.origin}/api/session`).flush(ANONYMOUS);
    await expect(refreshed).resolves.toEqual(ANONYMOUS);
  });
});
