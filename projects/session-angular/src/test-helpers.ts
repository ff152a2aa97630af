import { HttpInterceptorFn, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { DOCUMENT } from '@angular/common';
import { EnvironmentInjector, EnvironmentProviders, PLATFORM_ID, Provider, createEnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { afterEach } from 'vitest';

import { SessionFeature, provideSession } from './lib/provide-session';
import { sessionCookieForwardingInterceptor } from './lib/session-cookie-forwarding.interceptor';
import { sessionUnauthorizedInterceptor } from './lib/session-unauthorized.interceptor';
import { sessionXsrfInterceptor } from './lib/session-xsrf.interceptor';
import { SessionLifecycle } from './lib/session-lifecycle';
import { SessionSummary } from './lib/session-summary';
import { SessionService } from './lib/session.service';

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

/**
 * Web Locks for tabs simulated in one jsdom: exclusive locks granted in request order, released when the
 * callback's promise settles; a waiting request whose signal aborts rejects with an AbortError. Shared by the tabs
 * like a browser's LockManager is shared by the tabs of an origin.
 */
export class FakeLockManager {
  private readonly held = new Set<string>();
  private readonly queues = new Map<string, Array<() => void>>();

  request(name: string, options: { signal?: AbortSignal }, callback: () => Promise<unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const grant = () => {
        options.signal?.removeEventListener('abort', onAbort);
        this.held.add(name);
        Promise.resolve()
          .then(callback)
          .then(resolve, reject)
          .finally(() => {
            this.held.delete(name);
            this.queues.get(name)?.shift()?.();
          });
      };
      const onAbort = () => {
        const queue = this.queues.get(name) ?? [];
        queue.splice(queue.indexOf(grant), 1);
        reject(new DOMException('aborted', 'AbortError'));
      };
      if (!this.held.has(name)) return grant();
      options.signal?.addEventListener('abort', onAbort);
      this.queues.set(name, [...(this.queues.get(name) ?? []), grant]);
    });
  }
}

/**
 * Lets BroadcastChannel messages (delivered by Node between event-loop turns) and promise callbacks run, without
 * moving fake timers: setImmediate is left real.
 */
export async function settle(rounds = 10): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A browser tab opened by {@link openTab}. */
export interface Tab {
  http: HttpTestingController;
  session: SessionService;
  /** The tab's `SessionLifecycle` (open it with a lifecycle feature). */
  lifecycle: SessionLifecycle;
  document: Document;
  injector: EnvironmentInjector;
  /** Closes the tab (destroys its injector) after checking that no request is left unanswered. */
  close(): void;
}

const openTabs: Tab[] = [];

/**
 * A browser tab: its own document and window (so activity reaches one tab), HttpClient and SessionService, under
 * TestBed's injector (configure the platform there); the tabs share the BroadcastChannels of this process and,
 * when given, one lock manager, as the tabs of a browser do. The first summary read is answered with `first`.
 */
export function openTab(
  features: SessionFeature[],
  options: { locks?: FakeLockManager; first: SessionSummary; providers?: Array<Provider | EnvironmentProviders> },
): Tab {
  const doc = document.implementation.createHTMLDocument('tab');
  const win = Object.assign(new EventTarget(), { document: doc, navigator: { locks: options.locks }, performance });
  Object.defineProperty(doc, 'defaultView', { value: win });
  const injector = createEnvironmentInjector(
    [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: DOCUMENT, useValue: doc },
      SessionService,
      ...(options.providers ?? []),
      provideSession(...features),
    ],
    TestBed.inject(EnvironmentInjector),
  );
  const http = injector.get(HttpTestingController);
  const tab: Tab = {
    http,
    session: injector.get(SessionService),
    lifecycle: injector.get(SessionLifecycle),
    document: doc,
    injector,
    close: () => {
      openTabs.splice(openTabs.indexOf(tab), 1);
      try {
        http.verify();
      } finally {
        injector.destroy();
      }
    },
  };
  http.expectOne('/api/session').flush(options.first);
  openTabs.push(tab);
  return tab;
}

/** Closes every tab still open (each checked for unanswered requests). */
export function closeTabs(): void {
  const errors: unknown[] = [];
  for (const tab of [...openTabs]) {
    try {
      tab.close();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw errors[0];
}

/**
 * Waits until `check` stops throwing, turning the event loop with setImmediate (never moving fake timers, unlike
 * vi.waitFor, which advances them): for real sockets under fake timers. Fails after 5 s of real time.
 */
export async function until(check: () => void): Promise<void> {
  const deadline = performance.now() + 5_000;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
