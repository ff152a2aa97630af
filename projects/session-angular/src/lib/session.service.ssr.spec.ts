import { HttpTestingController } from '@angular/common/http/testing';
import { APP_ID, REQUEST, TransferState } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ALICE, setup, verifyHttpAfterEach } from '../test-helpers';
import { provideSession } from './provide-session';
import { SESSION_SUMMARY_STATE_KEY, SessionService } from './session.service';

const COOKIE = 'sid=s%3Aabc.def';
const incoming = () => ({ provide: REQUEST, useValue: new Request('http://app.test/account', { headers: { cookie: COOKIE } }) });

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
});
