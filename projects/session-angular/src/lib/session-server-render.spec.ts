import { HttpHeaders, HttpInterceptorFn, HttpResponse, provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { Component, REQUEST, inject, provideZonelessChangeDetection } from '@angular/core';
import { BootstrapContext, bootstrapApplication } from '@angular/platform-browser';
import { provideServerRendering, renderApplication } from '@angular/platform-server';
import { of } from 'rxjs';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { ALICE, ANONYMOUS } from '../test-helpers';
import { provideSession } from './provide-session';
import { sessionCookieForwardingInterceptor } from './session-cookie-forwarding.interceptor';
import { sessionUnauthorizedInterceptor } from './session-unauthorized.interceptor';
import { SESSION_SUMMARY_STATE_KEY, STATIC_SUMMARY_STATE_KEY, SessionService } from './session.service';

@Component({
  selector: 'app-root',
  template: `@if (session.isAuthenticated()) {
      <p>Hello {{ session.user()?.name }}</p>
    } @else {
      <p>Status: {{ session.status() }}</p>
    }`,
})
class AppComponent {
  protected readonly session = inject(SessionService);
}

/** Renders the app with Angular's real server platform; the summary is answered in-process, by cookie. */
async function render(
  cookie: string | null,
  extraHeaders: Record<string, string> = {},
): Promise<{ html: string; cookiesSeen: Array<string | null> }> {
  const cookiesSeen: Array<string | null> = [];
  const inProcess: HttpInterceptorFn = (req, next) => {
    if (req.url !== '/api/session') return next(req);
    cookiesSeen.push(req.headers.get('cookie'));
    const body = req.headers.get('cookie') === 'sid=alice' ? ALICE : ANONYMOUS;
    return of(new HttpResponse({ status: 200, body: JSON.stringify(body), headers: new HttpHeaders({ 'cache-control': 'no-store' }) }));
  };
  const bootstrap = (context: BootstrapContext) =>
    bootstrapApplication(
      AppComponent,
      {
        providers: [
          provideZonelessChangeDetection(),
          provideServerRendering(),
          provideHttpClient(withFetch(), withInterceptors([sessionUnauthorizedInterceptor, sessionCookieForwardingInterceptor, inProcess])),
          provideSession(),
        ],
      },
      context,
    );
  const headers: Record<string, string> = cookie ? { cookie, ...extraHeaders } : extraHeaders;
  const html = await renderApplication(bootstrap, {
    document: '<html><head></head><body><app-root></app-root></body></html>',
    url: '/',
    platformProviders: [{ provide: REQUEST, useValue: new Request('http://app.test/', { headers }) }],
  });
  return { html, cookiesSeen };
}

function transferredState(html: string): Record<string, unknown> {
  const match = /<script id="ng-state" type="application\/json">(.*?)<\/script>/s.exec(html);
  return match ? JSON.parse(match[1]) : {};
}

describe('server rendering with @angular/platform-server', () => {
  // Silences "Angular is running in development mode." from each render.
  beforeEach(() => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    return () => vi.restoreAllMocks();
  });

  it("waits for the summary read with the visitor's cookie and ships it in the page", async () => {
    const { html, cookiesSeen } = await render('sid=alice');
    expect(cookiesSeen).toEqual(['sid=alice']);
    expect(html).toContain('<p>Hello Alice</p>');
    expect(transferredState(html)[SESSION_SUMMARY_STATE_KEY]).toEqual(ALICE);
  });

  it('renders an anonymous visitor as anonymous', async () => {
    const { html, cookiesSeen } = await render(null);
    expect(cookiesSeen).toEqual([null]);
    expect(html).toContain('<p>Status: anonymous</p>');
    expect(transferredState(html)[SESSION_SUMMARY_STATE_KEY]).toEqual(ANONYMOUS);
  });

  it("marks the summary of Nitro's build-time prerender as static, and not a visitor's", async () => {
    const prerendered = await render(null, { 'x-nitro-prerender': '/' });
    expect(transferredState(prerendered.html)[STATIC_SUMMARY_STATE_KEY]).toBe(true);
    expect(transferredState(prerendered.html)[SESSION_SUMMARY_STATE_KEY]).toEqual(ANONYMOUS);

    const visitor = await render('sid=alice');
    expect(transferredState(visitor.html)[STATIC_SUMMARY_STATE_KEY]).toBeUndefined();
  });
});
