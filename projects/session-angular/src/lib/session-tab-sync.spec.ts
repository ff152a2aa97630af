import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { EnvironmentInjector, Provider, createEnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { ALICE, ANONYMOUS, setup, tick, verifyHttpAfterEach } from '../test-helpers';
import { provideSession, withCrossTabSync, withRefreshOnFocus } from './provide-session';
import { SESSION_CROSS_TAB_CHANNEL } from './session-config';
import { SessionService } from './session.service';

/** A second tab: its own SessionService and HttpClient, in its own injector. */
async function openOtherTab(providers: Provider[] = []) {
  const injector = createEnvironmentInjector(
    [provideHttpClient(), provideHttpClientTesting(), SessionService, ...providers],
    TestBed.inject(EnvironmentInjector),
  );
  const http = injector.get(HttpTestingController);
  const session = injector.get(SessionService);
  http.expectOne('/api/session').flush(ALICE);
  await session.ready();
  return { injector, http, session };
}

/** Collects what travels on a channel, as a third party listening in. */
function listen(name: string): { messages: unknown[]; close: () => void } {
  const channel = new BroadcastChannel(name);
  const messages: unknown[] = [];
  channel.addEventListener('message', (event) => messages.push((event as MessageEvent).data));
  return { messages, close: () => channel.close() };
}

async function signedIn(providers = [provideSession()]): Promise<{ http: HttpTestingController; session: SessionService }> {
  const http = setup({ providers });
  const session = TestBed.inject(SessionService);
  http.expectOne('/api/session').flush(ALICE);
  await session.ready();
  return { http, session };
}

describe('cross-tab sync', () => {
  verifyHttpAfterEach();

  it('a logout in one tab makes the other tab re-read the summary within a second', async () => {
    const tabA = await signedIn();
    const tabB = await openOtherTab();
    expect(tabB.session.isAuthenticated()).toBe(true);

    const done = tabA.session.logout();
    tabA.http.expectOne('/api/auth/logout').flush({ authenticated: false });
    await tick();
    tabA.http.expectOne('/api/session').flush(ANONYMOUS);
    await done;

    await vi.waitFor(() => tabB.http.expectOne('/api/session').flush(ANONYMOUS), { timeout: 1000, interval: 5 });
    await tick();
    expect(tabB.session.status()).toBe('anonymous');
    tabB.http.verify();
    tabB.injector.destroy();
  });

  it('a refresh() after login in one tab updates the other tab', async () => {
    const tabA = await signedIn();
    const tabB = await openOtherTab();

    const refreshed = tabA.session.refresh();
    tabA.http.expectOne('/api/session').flush({ authenticated: true, user: { id: 'u2', name: 'Bob' } });
    await refreshed;

    await vi.waitFor(() => tabB.http.expectOne('/api/session').flush({ authenticated: true, user: { id: 'u2', name: 'Bob' } }));
    await tick();
    expect(tabB.session.user()?.name).toBe('Bob');
    tabB.http.verify();
    tabB.injector.destroy();
  });

  it('sends only a "changed" signal, once, and no session data', async () => {
    const spy = listen('analog-session');
    const tabA = await signedIn();
    const tabB = await openOtherTab();
    await tick(20);
    expect(spy.messages).toEqual([]);

    const refreshed = tabA.session.refresh();
    tabA.http.expectOne('/api/session').flush(ALICE);
    await refreshed;
    await vi.waitFor(() => tabB.http.expectOne('/api/session').flush(ALICE));
    await tick(20);

    // The receiving tab does not announce again: no ping-pong between tabs.
    expect(spy.messages).toEqual(['changed']);
    spy.close();
    tabB.http.verify();
    tabB.injector.destroy();
  });

  it('ignores other messages on the channel', async () => {
    const tabA = await signedIn();
    const stranger = new BroadcastChannel('analog-session');
    stranger.postMessage({ authenticated: false });
    stranger.postMessage('logout');
    await tick(50);
    tabA.http.expectNone('/api/session');
    stranger.close();
  });

  it('uses the channel name given to withCrossTabSync()', async () => {
    const spy = listen('my-app-session');
    const tabA = await signedIn([provideSession(withCrossTabSync('my-app-session'))]);
    const refreshed = tabA.session.refresh();
    tabA.http.expectOne('/api/session').flush(ALICE);
    await refreshed;
    await vi.waitFor(() => expect(spy.messages).toEqual(['changed']));
    spy.close();
  });

  it('opens no channel with withCrossTabSync(false)', async () => {
    const openChannel = vi.spyOn(globalThis, 'BroadcastChannel');
    await signedIn([provideSession(withCrossTabSync(false))]);
    expect(openChannel).not.toHaveBeenCalled();
    openChannel.mockRestore();
  });

  it('does nothing where the runtime has no BroadcastChannel', async () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    try {
      const tabA = await signedIn();
      const refreshed = tabA.session.refresh();
      tabA.http.expectOne('/api/session').flush(ALICE);
      await expect(refreshed).resolves.toEqual(ALICE);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('closes its channel when the injector is destroyed, and then ignores other tabs', async () => {
    const close = vi.spyOn(BroadcastChannel.prototype, 'close');
    const tabA = await signedIn();
    const tabB = await openOtherTab([{ provide: SESSION_CROSS_TAB_CHANNEL, useValue: 'analog-session' }]);
    tabB.injector.destroy();
    expect(close).toHaveBeenCalledTimes(1);

    const refreshed = tabA.session.refresh();
    tabA.http.expectOne('/api/session').flush(ALICE);
    await refreshed;
    await tick(50);
    tabB.http.verify();
    close.mockRestore();
  });
});

describe('refresh on focus', () => {
  verifyHttpAfterEach();

  afterEach(() => {
    vi.useRealTimers();
    Reflect.deleteProperty(document, 'visibilityState');
  });

  function setVisibility(state: DocumentVisibilityState): void {
    Object.defineProperty(document, 'visibilityState', { value: state, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }

  it('re-reads the summary on focus once 30 s passed since the last read', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const { http, session } = await signedIn();

    vi.setSystemTime(1_000_000 + 29_000);
    window.dispatchEvent(new Event('focus'));
    http.expectNone('/api/session');

    vi.setSystemTime(1_000_000 + 30_000);
    window.dispatchEvent(new Event('focus'));
    http.expectOne('/api/session').flush(ANONYMOUS);
    await tick();
    expect(session.status()).toBe('anonymous');

    // The clock restarts at each read.
    window.dispatchEvent(new Event('focus'));
    http.expectNone('/api/session');
  });

  it('re-reads when the tab becomes visible, not when it is hidden', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const { http } = await signedIn();
    vi.setSystemTime(1_000_000 + 60_000);

    setVisibility('hidden');
    http.expectNone('/api/session');
    setVisibility('visible');
    http.expectOne('/api/session').flush(ALICE);
  });

  it('shares one read when focus and visibility fire together', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const { http } = await signedIn();
    vi.setSystemTime(1_000_000 + 60_000);

    setVisibility('visible');
    window.dispatchEvent(new Event('focus'));
    http.expectOne('/api/session').flush(ALICE);
  });

  it('uses the delay given to withRefreshOnFocus()', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const { http } = await signedIn([provideSession(withRefreshOnFocus(5_000))]);
    vi.setSystemTime(1_000_000 + 5_000);
    window.dispatchEvent(new Event('focus'));
    http.expectOne('/api/session').flush(ALICE);
  });

  it('listens to nothing with withRefreshOnFocus(false)', async () => {
    const addListener = vi.spyOn(window, 'addEventListener');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const { http } = await signedIn([provideSession(withRefreshOnFocus(false))]);
    vi.setSystemTime(1_000_000 + 3_600_000);
    window.dispatchEvent(new Event('focus'));
    http.expectNone('/api/session');
    expect(addListener).not.toHaveBeenCalledWith('focus', expect.anything());
    addListener.mockRestore();
  });

  it('removes its listeners when the injector is destroyed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const { http } = await signedIn();
    const removeWindow = vi.spyOn(window, 'removeEventListener');
    const removeDocument = vi.spyOn(document, 'removeEventListener');
    TestBed.resetTestingModule();

    expect(removeWindow).toHaveBeenCalledWith('focus', expect.any(Function));
    expect(removeDocument).toHaveBeenCalledWith('visibilitychange', expect.any(Function));
    vi.setSystemTime(1_000_000 + 60_000);
    window.dispatchEvent(new Event('focus'));
    http.expectNone('/api/session');
    removeWindow.mockRestore();
    removeDocument.mockRestore();
  });
});
