import { HttpTestingController } from '@angular/common/http/testing';
import { APP_ID, Provider, REQUEST, TransferState } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ALICE, ANONYMOUS, setup, verifyHttpAfterEach } from '../test-helpers';
import { provideSession } from './provide-session';
import { SESSION_SUMMARY_STATE_KEY, STATIC_SUMMARY_STATE_KEY, SessionService } from './session.service';

const COOKIE = 'sid=s%3Aabc.def';
const incoming = () => ({ provide: REQUEST, useValue: new Request('http://app.test/account', { headers: { cookie: COOKIE } }) });

/** The request of Nitro's build-time prerender: no cookie, the route in `x-nitro-prerender`. */
const prerender = () => ({ provide: REQUEST, useValue: new Request('http://localhost/', { headers: { 'x-nitro-prerender': '/' } }) });

/** Renders on the server with the given incoming request, answering the summary; returns the serialized TransferState. */
async function renderWith(request: Provider[], summary: unknown): Promise<string> {
  const http = setup({ platform: 'server', providers: [...request, provideSession()] });
  const session = TestBed.inject(SessionService);
  http.expectOne('/api/session').flush(JSON.stringify(summary));
  await session.ready();
  http.verify();
  const state = TestBed.inject(TransferState).toJson();
  TestBed.resetTestingModule();
  return state;
}

/** Starts "the browser" on a page that carries `state`, as Angular reads it from the page at start-up. */
function hydrate(state: string): HttpTestingController {
  const script = document.createElement('script');
  script.id = 'ng-state';
  script.type = 'application/json';
  script.textContent = state;
  document.body.appendChild(script);
  return setup({ platform: 'browser', providers: [{ provide: APP_ID, useValue: 'ng' }, provideSession()] });
}

/** Renders "on the server": reads the summary with the incoming cookie and returns the serialized TransferState. */
async function renderOnServer(http: HttpTestingController): Promise<string> {
  const session = TestBed.inject(SessionService);
  const req = http.expectOne('/api/session');
  expect(req.request.headers.get('cookie')).toBe(COOKIE);
  req.flush(JSON.stringify(ALICE));
  await session.ready();
  http.verify();
  return TestBed.inject(TransferState).toJson();
}

describe('SessionService during server rendering and hydration', () => {
  let http: HttpTestingController;

  verifyHttpAfterEach();
  afterEach(() => {
    document.getElementById('ng-state')?.remove();
    vi.restoreAllMocks();
  });

  it('reads the summary with the incoming cookie and puts it in TransferState', async () => {
    http = setup({ platform: 'server', providers: [incoming(), provideSession()] });
    const req = http.expectOne('/api/session');
    expect(req.request.headers.get('cookie')).toBe(COOKIE);
    // Text, not JSON: a browser refresh must never match Analog's in-process TransferState entry.
    expect(req.request.responseType).toBe('text');
    expect(req.request.transferCache).toBe(false);
    req.flush(JSON.stringify(ALICE));
    await TestBed.inject(SessionService).ready();

    expect(TestBed.inject(SessionService).status()).toBe('authenticated');
    expect(TestBed.inject(TransferState).get(SESSION_SUMMARY_STATE_KEY, null)).toEqual(ALICE);
  });

  it('puts nothing in TransferState when the server could not read the summary', async () => {
    http = setup({ platform: 'server', providers: [incoming()] });
    const session = TestBed.inject(SessionService);
    http.expectOne('/api/session').flush('down', { status: 502, statusText: 'Bad Gateway' });
    await expect(session.ready()).rejects.toBeTruthy();
    expect(TestBed.inject(TransferState).hasKey(SESSION_SUMMARY_STATE_KEY)).toBe(false);
  });

  it('hydrates the browser from TransferState without requesting the summary again', async () => {
    http = setup({ platform: 'server', providers: [incoming()] });
    const state = await renderOnServer(http);

    // What the browser gets: the serialized state in the page, read by TransferState at start-up.
    TestBed.resetTestingModule();
    const script = document.createElement('script');
    script.id = 'ng-state';
    script.type = 'application/json';
    script.textContent = state;
    document.body.appendChild(script);
    http = setup({ platform: 'browser', providers: [{ provide: APP_ID, useValue: 'ng' }, provideSession()] });

    const session = TestBed.inject(SessionService);
    expect(session.status()).toBe('authenticated');
    expect(session.user()).toEqual(ALICE.user);
    await expect(session.ready()).resolves.toEqual(ALICE);
    http.expectNone('/api/session');
    expect(TestBed.inject(TransferState).hasKey(SESSION_SUMMARY_STATE_KEY)).toBe(false);

    // The transferred summary serves once; a later refresh (after a login, say) reaches the server.
    const refreshed = session.refresh();
    const req = http.expectOne('/api/session');
    expect(req.request.responseType).toBe('json');
    req.flush({ authenticated: false });
    await refreshed;
    expect(session.status()).toBe('anonymous');
  });

  it('adds no listeners and opens no BroadcastChannel on the server', async () => {
    const addWindowListener = vi.spyOn(window, 'addEventListener');
    const addDocumentListener = vi.spyOn(document, 'addEventListener');
    const openChannel = vi.spyOn(globalThis, 'BroadcastChannel');
    http = setup({ platform: 'server', providers: [incoming(), provideSession()] });
    http.expectOne('/api/session').flush(JSON.stringify(ALICE));
    await TestBed.inject(SessionService).ready();

    expect(addWindowListener).not.toHaveBeenCalled();
    expect(addDocumentListener).not.toHaveBeenCalled();
    expect(openChannel).not.toHaveBeenCalled();
  });

  describe('a page rendered at build time (prerender)', () => {
    it("is marked, hydrates with the static summary, then reads the visitor's own once after the first render", async () => {
      const state = await renderWith([prerender()], ANONYMOUS);
      expect(JSON.parse(state)[STATIC_SUMMARY_STATE_KEY]).toBe(true);

      http = hydrate(state);
      const session = TestBed.inject(SessionService);
      // What the static HTML was rendered with, so hydration finds the same DOM.
      expect(session.status()).toBe('anonymous');
      http.expectNone('/api/session');

      TestBed.tick();
      const req = http.expectOne('/api/session');
      expect(req.request.responseType).toBe('json');
      const ready = session.ready();
      req.flush(ALICE);
      await expect(ready).resolves.toEqual(ALICE);
      expect(session.status()).toBe('authenticated');
      expect(TestBed.inject(TransferState).hasKey(STATIC_SUMMARY_STATE_KEY)).toBe(false);

      TestBed.tick();
      http.expectNone('/api/session');
    });

    it("lets ready() wait for the visitor's summary, one request even when asked before the first render", async () => {
      http = hydrate(await renderWith([prerender()], ANONYMOUS));
      const session = TestBed.inject(SessionService);
      const ready = session.ready();
      TestBed.tick();
      http.expectOne('/api/session').flush(ALICE);
      await expect(ready).resolves.toEqual(ALICE);
      await expect(session.ready()).resolves.toEqual(ALICE);
      TestBed.tick();
      http.expectNone('/api/session');
    });

    it('is marked when rendered without any incoming request (Angular build-time prerender)', async () => {
      const state = await renderWith([], ANONYMOUS);
      expect(JSON.parse(state)[STATIC_SUMMARY_STATE_KEY]).toBe(true);
    });
  });

  it("sends no request after hydrating a visitor's own server render, even after renders", async () => {
    const state = await renderWith([incoming()], ALICE);
    expect(JSON.parse(state)[STATIC_SUMMARY_STATE_KEY]).toBeUndefined();

    http = hydrate(state);
    const session = TestBed.inject(SessionService);
    TestBed.tick();
    TestBed.tick();
    http.expectNone('/api/session');
    expect(session.status()).toBe('authenticated');
    await expect(session.ready()).resolves.toEqual(ALICE);
  });
});
