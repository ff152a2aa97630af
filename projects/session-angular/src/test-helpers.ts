import { HttpInterceptorFn, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { EnvironmentProviders, PLATFORM_ID, Provider } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { afterEach } from 'vitest';

import { sessionCookieForwardingInterceptor } from './lib/session-cookie-forwarding.interceptor';
import { sessionUnauthorizedInterceptor } from './lib/session-unauthorized.interceptor';
import { sessionXsrfInterceptor } from './lib/session-xsrf.interceptor';
import { SessionSummary } from './lib/session-summary';

export const ALICE: SessionSummary = { authenticated: true, user: { id: 'u1', name: 'Alice' } };
export const ANONYMOUS: SessionSummary = { authenticated: false };

export interface SetupOptions {
  platform?: 'browser' | 'server';
  providers?: Array<Provider | EnvironmentProviders>;
  /** Interceptors after the session ones, e.g. a stand-in for Analog's requestContextInterceptor. */
  after?: HttpInterceptorFn[];
  /** The whole interceptor list, replacing the session ones and `after`. */
  interceptors?: HttpInterceptorFn[];
  /** False when `providers` set up HttpClient themselves (e.g. `withAnalog()`); the testing backend comes last. */
  httpClient?: boolean;
}

let current: HttpTestingController | null = null;

/**
 * After each test: no unexpected or unanswered request, and a fresh TestBed even when verify() throws
 * (Angular's TestBed is shared by the spec files of a worker, so a leftover module would fail the next ones).
 */
export function verifyHttpAfterEach(): void {
  afterEach(() => {
    const http = current;
    current = null;
    try {
      http?.verify();
    } finally {
      TestBed.resetTestingModule();
    }
  });
}

/** TestBed with HttpClient wired the way the README tells apps to, on the given platform. */
export function setup(options: SetupOptions = {}): HttpTestingController {
  const platform = { provide: PLATFORM_ID, useValue: options.platform ?? 'browser' };
  if (options.httpClient === false) {
    TestBed.configureTestingModule({ providers: [platform, ...(options.providers ?? []), provideHttpClientTesting()] });
    current = TestBed.inject(HttpTestingController);
    return current;
  }
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(
        withInterceptors(
          options.interceptors ?? [
            sessionUnauthorizedInterceptor,
            sessionCookieForwardingInterceptor,
            sessionXsrfInterceptor,
            ...(options.after ?? []),
          ],
        ),
      ),
      provideHttpClientTesting(),
      platform,
      ...(options.providers ?? []),
    ],
  });
  current = TestBed.inject(HttpTestingController);
  return current;
}

/** Lets pending promise callbacks and macrotasks (BroadcastChannel delivery) run. */
export function tick(ms = 0): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
