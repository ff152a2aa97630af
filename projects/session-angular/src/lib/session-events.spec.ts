import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { Component, PLATFORM_ID } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, type Routes, provideRouter } from '@angular/router';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ALICE, ANONYMOUS, FakeLockManager, closeTabs, openTab, settle, until } from '../test-helpers';
import { provideSession } from './provide-session';
import { SESSION_EVENTS_RECONNECT_MS, readEvents, withSessionEvents } from './session-events';
import { withIdleTimeout } from './session-idle-timeout';
import { SessionLifecycle } from './session-lifecycle';
import { sessionGuard } from './session.guard';
import { SessionService } from './session.service';

/** A real HTTP server standing in for the events route: each test says how it answers. */
interface EventsServer {
  url: string;
  /** Streams still open, oldest first. */
  open: ServerResponse[];
  requests: number;
  answer: (req: IncomingMessage, res: ServerResponse) => void;
}

let server: Server;
let events: EventsServer;

function stream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
  res.write('event: ready\ndata: {}\n\n');
  events.open.push(res);
  res.on('close', () => events.open.splice(events.open.indexOf(res), 1));
}

function ended(reason: string): string {
  return `event: session\ndata: ${JSON.stringify({ type: 'ended', reason })}\n\n`;
}

@Component({ template: '' })
class Blank {}

/** A browser app on `routes` with `withSessionEvents()`, signed in as Alice, on `url`. */
async function signedInAt(routes: Routes, url: string): Promise<{ http: HttpTestingController; router: Router }> {
  TestBed.resetTestingModule();
  TestBed.configureTestingModule({
    providers: [
      provideHttpClient(),
      provideHttpClientTesting(),
      { provide: PLATFORM_ID, useValue: 'browser' },
      provideRouter(routes),
      provideSession(withSessionEvents({ url: events.url })),
    ],
  });
  const http = TestBed.inject(HttpTestingController);
  http.expectOne('/api/session').flush(ALICE);
  const router = TestBed.inject(Router);
  await router.navigateByUrl(url);
  expect(router.url).toBe(url);
  return { http, router };
}

/** The server ends the session with `reason` on the app's stream; the app reads the session again and finds none. */
async function endedByServer(http: HttpTestingController, reason: string): Promise<void> {
  await vi.waitFor(() => expect(events.open).toHaveLength(1));
  events.open[0].write(ended(reason));
  await vi.waitFor(() => http.expectOne('/api/session').flush(ANONYMOUS));
}

beforeEach(async () => {
  events = { url: '', open: [], requests: 0, answer: (_req, res) => stream(res) };
  server = createServer((req, res) => {
    events.requests++;
    events.answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  events.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth/session-events`;
});

afterEach(async () => {
  for (const res of events.open) res.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('withSessionEvents()', () => {
  beforeEach(() => TestBed.configureTestingModule({ providers: [{ provide: PLATFORM_ID, useValue: 'browser' }] }));
  afterEach(() => {
    try {
      closeTabs();
    } finally {
      TestBed.resetTestingModule();
      vi.useRealTimers();
    }
  });

  it('one elected tab listens; an ending it hears turns every tab anonymous with the reason', async () => {
    const locks = new FakeLockManager();
    const a = openTab([withSessionEvents({ url: events.url })], { locks, first: ALICE });
    const b = openTab([withSessionEvents({ url: events.url }), withIdleTimeout()], { locks, first: ALICE });
    await vi.waitFor(() => expect(events.open).toHaveLength(1));
    await settle();
    expect(events.requests).toBe(1);

    events.open[0].write(': heartbeat\n\n');
    events.open[0].write(ended('signed-out-elsewhere'));
    await vi.waitFor(() => a.http.expectOne('/api/session').flush(ANONYMOUS));
    await vi.waitFor(() => b.http.expectOne('/api/session').flush(ANONYMOUS));
    await settle();
    for (const tab of [a, b]) {
      expect(tab.session.status()).toBe('anonymous');
      expect(tab.lifecycle.endedReason()).toBe('signed-out-elsewhere');
    }
    // Anonymous: the stream is closed.
    await vi.waitFor(() => expect(events.open).toHaveLength(0));

    // The next sign-in clears the reason.
    const refreshed = b.session.refresh();
    b.http.expectOne('/api/session').flush(ALICE);
    await refreshed;
    expect(b.lifecycle.endedReason()).toBeNull();
    await vi.waitFor(() => a.http.expectOne('/api/session').flush(ALICE));
  });

  it('an ending for a session this browser already replaced (regenerated) changes nothing and listens anew', async () => {
    const a = openTab([withSessionEvents({ url: events.url })], { first: ALICE });
    await vi.waitFor(() => expect(events.open).toHaveLength(1));
    events.open[0].write(ended('revoked'));
    await vi.waitFor(() => a.http.expectOne('/api/session').flush(ALICE));
    await vi.waitFor(() => expect(events.requests).toBe(2));
    expect(a.session.status()).toBe('authenticated');
    expect(a.lifecycle.endedReason()).toBeNull();
  });

  it("an ending pushed while this tab's own logout() runs is that logout: no reason shown", async () => {
    const spy = new BroadcastChannel('analog-session');
    const posted: unknown[] = [];
    spy.addEventListener('message', (event) => posted.push(event.data));
    const a = openTab([withSessionEvents({ url: events.url })], { first: ALICE });
    await vi.waitFor(() => expect(events.open).toHaveLength(1));
    const done = a.session.logout();
    events.open[0].write(ended('signed-out-elsewhere'));
    await vi.waitFor(() => expect(posted).toContainEqual({ type: 'session-ended', reason: 'signed-out-elsewhere' }));
    await settle();
    a.http.expectOne('/api/auth/logout').flush({ authenticated: false });
    await vi.waitFor(() => a.http.expectOne('/api/session').flush(ANONYMOUS));
    await done;
    expect(a.session.status()).toBe('anonymous');
    expect(a.lifecycle.endedReason()).toBeNull();
    spy.close();
  });

  it('listens anew after a login or regeneration in any tab (the stream follows the new cookie)', async () => {
    const locks = new FakeLockManager();
    const a = openTab([withSessionEvents({ url: events.url })], { first: ALICE, locks });
    const b = openTab([withSessionEvents({ url: events.url })], { first: ALICE, locks });
    await vi.waitFor(() => expect(events.open).toHaveLength(1));
    const refreshed = b.session.refresh();
    b.http.expectOne('/api/session').flush(ALICE);
    await refreshed;
    await vi.waitFor(() => a.http.expectOne('/api/session').flush(ALICE));
    await vi.waitFor(() => expect(events.requests).toBe(2));
    await vi.waitFor(() => expect(events.open).toHaveLength(1));
  });

  it('a route that is not there (404) turns the feature off: one request, no retry', async () => {
    events.answer = (_req, res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"statusCode":404}');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const a = openTab([withSessionEvents({ url: events.url })], { first: ALICE, locks: new FakeLockManager() });
    await until(() => expect(events.requests).toBe(1));
    await settle(20);
    await vi.advanceTimersByTimeAsync(SESSION_EVENTS_RECONNECT_MS.max * 10);
    await settle(20);
    expect(events.requests).toBe(1);
    expect(a.session.status()).toBe('authenticated');
  });

  it('a 401 re-reads the summary: anonymous there, the tab turns anonymous and stops listening', async () => {
    events.answer = (_req, res) => res.writeHead(401).end();
    const a = openTab([withSessionEvents({ url: events.url })], { first: ALICE });
    await vi.waitFor(() => a.http.expectOne('/api/session').flush(ANONYMOUS));
    await settle();
    expect(a.session.status()).toBe('anonymous');
    expect(a.lifecycle.endedReason()).toBeNull();
    expect(events.requests).toBe(1);
  });

  it('reconnects with backoff when the stream breaks, doubling the delay until a stream is ready', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999);
    events.answer = (_req, res) => res.writeHead(503).end();
    openTab([withSessionEvents({ url: events.url })], { first: ALICE, locks: new FakeLockManager() });
    await until(() => expect(events.requests).toBe(1));
    await settle(20);
    await vi.advanceTimersByTimeAsync(SESSION_EVENTS_RECONNECT_MS.min - 5);
    expect(events.requests).toBe(1);
    await vi.advanceTimersByTimeAsync(5);
    await until(() => expect(events.requests).toBe(2));
    await settle(20);
    await vi.advanceTimersByTimeAsync(2 * SESSION_EVENTS_RECONNECT_MS.min - 5);
    expect(events.requests).toBe(2);
    events.answer = (_req, res) => stream(res);
    await vi.advanceTimersByTimeAsync(5);
    await until(() => expect(events.open).toHaveLength(1));
    // Ready: the next break starts again from the shortest delay.
    await settle(20);
    events.open[0].end();
    await until(() => expect(events.open).toHaveLength(0));
    await settle(20);
    await vi.advanceTimersByTimeAsync(SESSION_EVENTS_RECONNECT_MS.min);
    await until(() => expect(events.open).toHaveLength(1));
    vi.mocked(Math.random).mockRestore();
  });

  it('sends a page behind sessionGuard() to its login page with the return URL', async () => {
    const { http, router } = await signedInAt(
      [
        { path: 'account', component: Blank, canActivate: [sessionGuard({ returnUrlParam: 'returnUrl' })] },
        { path: 'login', component: Blank },
      ],
      '/account',
    );
    const lifecycle = TestBed.inject(SessionLifecycle);
    await endedByServer(http, 'password-changed');
    await vi.waitFor(() => expect(router.url).toBe('/login?returnUrl=%2Faccount'));
    expect(lifecycle.endedReason()).toBe('password-changed');
    http.verify();
  });

  it("finds a sessionGuard() on a parent's canActivateChild, and runs none of the app's other guards again", async () => {
    const appGuard = vi.fn(() => true);
    const { http, router } = await signedInAt(
      [
        {
          path: 'area',
          canActivate: [appGuard],
          canActivateChild: [sessionGuard({ redirectTo: '/signin?from=area', returnUrlParam: 'next' })],
          children: [{ path: 'page', component: Blank, canActivate: [appGuard] }],
        },
        { path: 'signin', component: Blank },
      ],
      '/area/page',
    );
    expect(appGuard).toHaveBeenCalledTimes(2);
    await endedByServer(http, 'revoked');
    await vi.waitFor(() => expect(router.url).toBe('/signin?from=area&next=%2Farea%2Fpage'));
    expect(appGuard).toHaveBeenCalledTimes(2);
    http.verify();
  });

  it('opens no stream on the server', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: PLATFORM_ID, useValue: 'server' },
        provideSession(withSessionEvents({ url: events.url })),
      ],
    });
    const session = TestBed.inject(SessionService);
    TestBed.inject(HttpTestingController).expectOne('/api/session').flush(ALICE);
    await session.ready();
    await settle();
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(events.requests).toBe(0);
    fetchSpy.mockRestore();
  });
});

describe('readEvents()', () => {
  async function read(chunks: string[]): Promise<Array<[string, string]>> {
    const bytes = new TextEncoder();
    // jsdom's environment has no ReadableStream global; Node's is the one fetch bodies are made of.
    const body = new NodeReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(bytes.encode(chunk));
        controller.close();
      },
    });
    const seen: Array<[string, string]> = [];
    await readEvents(body as unknown as ReadableStream<Uint8Array>, new AbortController().signal, (type, data) => seen.push([type, data]));
    return seen;
  }

  it('parses events as EventSource does, across chunk boundaries and line endings', async () => {
    expect(
      await read([
        'event: ready\r',
        '\ndata: {}\r\n\r\n: heartbeat\n\n',
        'event:session\ndata: {"type":"ended",',
        '\ndata: "reason":"evicted"}\n\nid: 3\nretry: 10\ndata\n\n',
        'data: unterminated',
      ]),
    ).toEqual([
      ['ready', '{}'],
      ['session', '{"type":"ended",\n"reason":"evicted"}'],
      ['message', ''],
    ]);
  });

  it('gives up on a line longer than 16 KiB', async () => {
    await expect(read(['data: ' + 'x'.repeat(20_000)])).rejects.toThrow('line too long');
  });
});
