import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { ErrorHandler, PLATFORM_ID } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { ALICE, ANONYMOUS, FakeLockManager, Tab, closeTabs, openTab, settle } from '../test-helpers';
import { provideSession, withCrossTabSync } from './provide-session';
import { withSessionEvents } from './session-events';
import { EXPIRY_GRACE_MS, withIdleTimeout } from './session-idle-timeout';
import { SessionLifecycle } from './session-lifecycle';
import { LEADER_CLAIM_AFTER_MS } from './session-tab-leader';
import { SessionSummary } from './session-summary';
import { SessionService } from './session.service';

const T0 = 1_800_000_000_000;
/** The server's clock runs an hour ahead of the browser's in these tests: every instant must be corrected. */
const SKEW = 3_600_000;
const MINUTE = 60_000;

/** A signed-in summary as a lifecycle-aware server answers it, `expiresIn` ms from the server's now. */
function lively(expiresIn: number, absoluteIn: number | null = null): SessionSummary {
  const now = Date.now() + SKEW;
  return { ...ALICE, now, expiresAt: now + expiresIn, absoluteExpiresAt: absoluteIn === null ? null : now + absoluteIn };
}

/**
 * Dispatches an event of `type` on the tab's document, made by that document: with the global `Event` it failed now
 * and then ("parameter 1 is not of type 'Event'", 1 full run in 8, at 43cc1c7 too), a constructor of another realm.
 */
function fire(tab: Tab, type: string): void {
  const event = tab.document.createEvent('Event');
  event.initEvent(type);
  tab.document.dispatchEvent(event);
}

function activity(tab: Tab, type = 'pointerdown'): void {
  fire(tab, type);
}

function touches(tab: Tab) {
  return tab.http.match({ method: 'POST', url: '/api/session' });
}

describe('withIdleTimeout()', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(T0);
    TestBed.configureTestingModule({ providers: [{ provide: PLATFORM_ID, useValue: 'browser' }] });
  });

  afterEach(() => {
    try {
      closeTabs();
    } finally {
      TestBed.resetTestingModule();
      vi.useRealTimers();
    }
  });

  it('shows the server expiry on this browser clock, skew removed', async () => {
    const { lifecycle } = openTab([withIdleTimeout()], { first: lively(30 * MINUTE, 8 * 60 * MINUTE) });
    await settle();
    expect(lifecycle.expiresAt()).toBe(T0 + 30 * MINUTE);
    expect(lifecycle.absoluteExpiresAt()).toBe(T0 + 8 * 60 * MINUTE);
    expect(lifecycle.warning()).toBe(false);
    expect(lifecycle.countdown()).toBe(30 * 60);
  });

  it('turns warning on exactly warnBefore before the idle expiry', async () => {
    const { lifecycle } = openTab([withIdleTimeout({ warnBefore: 2 * MINUTE })], { first: lively(10 * MINUTE) });
    await settle();
    vi.advanceTimersByTime(8 * MINUTE - 1);
    expect(lifecycle.warning()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(lifecycle.warning()).toBe(true);
    expect(lifecycle.countdown()).toBe(120);
  });

  it('extend() POSTs the summary URL, takes the new expiry, ends the warning and tells the other tabs', async () => {
    const a = openTab([withIdleTimeout()], { first: lively(10 * MINUTE) });
    const b = openTab([withIdleTimeout()], { first: lively(10 * MINUTE) });
    await settle();
    vi.advanceTimersByTime(9 * MINUTE + 30_000);
    expect(a.lifecycle.warning()).toBe(true);
    expect(b.lifecycle.warning()).toBe(true);

    const extended = b.lifecycle.extend();
    const [touch] = touches(b);
    expect(touch.request.body).toBeNull();
    touch.flush(lively(10 * MINUTE));
    await extended;
    expect(b.lifecycle.warning()).toBe(false);
    expect(b.lifecycle.expiresAt()).toBe(Date.now() + 10 * MINUTE);
    await settle();
    // The other tab takes the new expiry from the channel, without a request of its own.
    expect(a.lifecycle.warning()).toBe(false);
    expect(a.lifecycle.expiresAt()).toBe(Date.now() + 10 * MINUTE);
  });

  it('gives a non-extendable notice before the absolute cap, and no idle warning once the cap comes first', async () => {
    const tab = openTab([withIdleTimeout({ warnBefore: MINUTE, noticeBefore: 5 * MINUTE })], {
      first: lively(30 * MINUTE, 20 * MINUTE),
    });
    const { session, lifecycle, http } = tab;
    await settle();
    vi.advanceTimersByTime(15 * MINUTE - 1);
    expect(lifecycle.absoluteNotice()).toBe(false);
    vi.advanceTimersByTime(1);
    expect(lifecycle.absoluteNotice()).toBe(true);
    expect(lifecycle.warning()).toBe(false);
    expect(lifecycle.countdown()).toBe(5 * 60);

    // Activity sends nothing: the cap is what ends this session.
    vi.advanceTimersByTime(2 * MINUTE);
    activity(tab);
    http.expectNone({ method: 'POST', url: '/api/session' });

    vi.advanceTimersByTime(3 * MINUTE + EXPIRY_GRACE_MS);
    http.expectOne({ method: 'GET', url: '/api/session' }).flush(ANONYMOUS);
    await settle();
    expect(session.status()).toBe('anonymous');
    expect(lifecycle.endedReason()).toBe('expired');
    expect(lifecycle.absoluteNotice()).toBe(false);
  });

  it('at the idle expiry every tab re-reads the summary and turns anonymous with the reason "expired"', async () => {
    const a = openTab([withIdleTimeout()], { first: lively(10 * MINUTE) });
    const b = openTab([withIdleTimeout()], { first: lively(10 * MINUTE) });
    await settle();
    vi.advanceTimersByTime(10 * MINUTE + EXPIRY_GRACE_MS - 1);
    a.http.expectNone('/api/session');
    vi.advanceTimersByTime(1);
    a.http.expectOne('/api/session').flush(ANONYMOUS);
    b.http.expectOne('/api/session').flush(ANONYMOUS);
    await settle();
    for (const tab of [a, b]) {
      expect(tab.session.status()).toBe('anonymous');
      expect(tab.lifecycle.endedReason()).toBe('expired');
      expect(tab.lifecycle.expiresAt()).toBeNull();
      expect(tab.lifecycle.warning()).toBe(false);
    }
  });

  it('trusts the server at the expiry: a session still alive there (used elsewhere) gets its new expiry', async () => {
    const { http, session, lifecycle } = openTab([withIdleTimeout()], { first: lively(10 * MINUTE) });
    await settle();
    vi.advanceTimersByTime(10 * MINUTE + EXPIRY_GRACE_MS);
    http.expectOne('/api/session').flush(lively(7 * MINUTE));
    await settle();
    expect(session.status()).toBe('authenticated');
    expect(lifecycle.endedReason()).toBeNull();
    expect(lifecycle.warning()).toBe(false);
    expect(lifecycle.expiresAt()).toBe(Date.now() + 7 * MINUTE);
  });

  it('catches up when the tab becomes visible after its timers slept (a suspended computer)', async () => {
    const tab = openTab([withIdleTimeout()], { first: lively(10 * MINUTE), locks: new FakeLockManager() });
    await settle();
    // The clock moves on while no timer runs, as across a sleep.
    vi.setSystemTime(Date.now() + 11 * MINUTE);
    Object.defineProperty(tab.document, 'visibilityState', { value: 'visible', configurable: true });
    fire(tab, 'visibilitychange');
    // The idle expiry's read, and the core's refresh on visibility (30 s since the last read).
    const reads = tab.http.match({ method: 'GET', url: '/api/session' });
    expect(reads).toHaveLength(2);
    for (const read of reads) read.flush(ANONYMOUS);
    await settle();
    expect(tab.lifecycle.endedReason()).toBe('expired');
    expect(touches(tab)).toHaveLength(0);
  });

  it('measures the skew again at every answer (the server clock moved)', async () => {
    const { session, lifecycle, http } = openTab([withIdleTimeout()], { first: lively(10 * MINUTE) });
    await settle();
    const refreshed = session.refresh();
    const now = Date.now() - 5_000; // the server's clock now runs 5 s behind the browser's
    http.expectOne('/api/session').flush({ ...ALICE, now, expiresAt: now + 4 * MINUTE, absoluteExpiresAt: null });
    await refreshed;
    expect(lifecycle.expiresAt()).toBe(Date.now() + 4 * MINUTE);
  });

  it('activity keeps the session alive with at most one touch per touchAfter, and none while the warning shows', async () => {
    const tab = openTab([withIdleTimeout({ touchAfter: MINUTE, warnBefore: MINUTE })], { first: lively(5 * MINUTE) });
    await settle(20);
    vi.advanceTimersByTime(LEADER_CLAIM_AFTER_MS * 2);
    await settle();

    // The page load used the session: no touch before touchAfter.
    activity(tab);
    expect(touches(tab)).toHaveLength(0);
    vi.advanceTimersByTime(MINUTE);
    activity(tab);
    touches(tab)[0].flush(lively(5 * MINUTE));
    await settle();
    activity(tab, 'keydown');
    vi.advanceTimersByTime(MINUTE - 1);
    activity(tab, 'wheel');
    expect(touches(tab)).toHaveLength(0);
    vi.advanceTimersByTime(1);
    activity(tab, 'keydown');
    touches(tab)[0].flush(lively(5 * MINUTE));
    await settle();

    vi.advanceTimersByTime(4 * MINUTE);
    expect(tab.lifecycle.warning()).toBe(true);
    activity(tab);
    expect(touches(tab)).toHaveLength(0);
    vi.advanceTimersByTime(MINUTE + EXPIRY_GRACE_MS);
    tab.http.expectOne({ method: 'GET', url: '/api/session' }).flush(ANONYMOUS);
    await settle();
    expect(tab.lifecycle.endedReason()).toBe('expired');
  });

  it('a touch answered anonymous ends the session in every tab', async () => {
    const locks = new FakeLockManager();
    const a = openTab([withIdleTimeout()], { locks, first: lively(30 * MINUTE) });
    const b = openTab([withIdleTimeout()], { locks, first: lively(30 * MINUTE) });
    await settle();
    vi.advanceTimersByTime(MINUTE);
    activity(a);
    touches(a)[0].flush(ANONYMOUS);
    await settle();
    b.http.expectOne('/api/session').flush(ANONYMOUS);
    await settle();
    expect(a.lifecycle.endedReason()).toBe('expired');
    expect(b.lifecycle.endedReason()).toBe('expired');
  });

  it('the countdown ticks once a second while read, and its timer stops when nothing reads it', async () => {
    const { lifecycle } = openTab([withIdleTimeout()], { first: lively(10 * MINUTE), locks: new FakeLockManager() });
    await settle();
    const timersBefore = vi.getTimerCount();
    expect(lifecycle.countdown()).toBe(600);
    expect(vi.getTimerCount()).toBe(timersBefore + 1);
    vi.advanceTimersByTime(1_000);
    expect(lifecycle.countdown()).toBe(599);
    vi.advanceTimersByTime(1_000);
    expect(lifecycle.countdown()).toBe(598);
    // Not read for a tick: the timer stops...
    vi.advanceTimersByTime(2_000);
    expect(vi.getTimerCount()).toBe(timersBefore);
    // ...and the next read is fresh and starts it again.
    vi.advanceTimersByTime(10_000);
    expect(lifecycle.countdown()).toBe(586);
    expect(vi.getTimerCount()).toBe(timersBefore + 1);
  });

  it('stays inert against a server that answers no expiry: no timer, no touch', async () => {
    const tab = openTab([withIdleTimeout()], { first: ALICE });
    await settle();
    vi.advanceTimersByTime(LEADER_CLAIM_AFTER_MS * 2);
    await settle();
    const timers = vi.getTimerCount();
    expect(tab.lifecycle.expiresAt()).toBeNull();
    expect(tab.lifecycle.countdown()).toBeNull();
    vi.advanceTimersByTime(10 * MINUTE);
    activity(tab);
    expect(touches(tab)).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(timers);
  });

  it('reports bad options through the ErrorHandler and stays inert', async () => {
    const handleError = vi.fn();
    TestBed.overrideProvider(ErrorHandler, { useValue: { handleError } });
    const tab = openTab([withIdleTimeout({ touchAfter: 0 })], { first: lively(30 * MINUTE) });
    await settle();
    expect(handleError).toHaveBeenCalledWith(
      expect.objectContaining({ message: expect.stringContaining('withIdleTimeout(): touchAfter') }),
    );
    expect(tab.lifecycle.expiresAt()).toBeNull();
  });

  describe('three tabs, one keep-alive', () => {
    for (const mode of ['Web Locks', 'BroadcastChannel claims'] as const) {
      it(`activity in every tab at once sends one touch (${mode})`, async () => {
        const locks = mode === 'Web Locks' ? new FakeLockManager() : undefined;
        const all = [0, 1, 2].map(() => openTab([withIdleTimeout({ touchAfter: MINUTE })], { locks, first: lively(30 * MINUTE) }));
        await settle();
        vi.advanceTimersByTime(LEADER_CLAIM_AFTER_MS * 2);
        await settle();
        vi.advanceTimersByTime(MINUTE);

        for (const tab of all) activity(tab);
        await settle();
        const sent = all.flatMap((tab) => touches(tab));
        expect(sent).toHaveLength(1);
        sent[0].flush(lively(30 * MINUTE));
        await settle();
        for (const tab of all) activity(tab, 'keydown');
        await settle();
        expect(all.flatMap((tab) => touches(tab))).toHaveLength(0);
        for (const tab of all) expect(tab.lifecycle.expiresAt()).toBe(Date.now() + 30 * MINUTE);
      });

      it(`another tab takes the lead when the leader closes (${mode})`, async () => {
        const locks = mode === 'Web Locks' ? new FakeLockManager() : undefined;
        const all = [0, 1].map(() => openTab([withIdleTimeout({ touchAfter: MINUTE })], { locks, first: lively(30 * MINUTE) }));
        await settle();
        vi.advanceTimersByTime(LEADER_CLAIM_AFTER_MS * 2);
        await settle();
        vi.advanceTimersByTime(MINUTE);
        activity(all[1]);
        await settle();
        const sent = all.map((tab) => touches(tab));
        expect(sent.flat()).toHaveLength(1);
        sent.flat()[0].flush(lively(30 * MINUTE));
        const leader = all[sent.findIndex((requests) => requests.length === 1)];
        const follower = all.find((tab) => tab !== leader)!;
        leader.close();
        await settle();
        vi.advanceTimersByTime(LEADER_CLAIM_AFTER_MS * 2);
        await settle();

        vi.advanceTimersByTime(MINUTE);
        activity(follower);
        await settle();
        const [touch] = touches(follower);
        expect(touch).toBeDefined();
        touch.flush(lively(30 * MINUTE));
      });
    }

    it('with cross-tab sync off, each tab touches for itself', async () => {
      const all = [0, 1].map(() =>
        openTab([withIdleTimeout({ touchAfter: MINUTE }), withCrossTabSync(false)], { first: lively(30 * MINUTE) }),
      );
      await settle();
      vi.advanceTimersByTime(MINUTE);
      for (const tab of all) activity(tab);
      for (const tab of all) touches(tab)[0].flush(lively(30 * MINUTE));
    });
  });
});

describe('withIdleTimeout() on the server', () => {
  afterEach(() => {
    TestBed.resetTestingModule();
    vi.useRealTimers();
  });

  it('sets no timer, opens no channel and adds no listener', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const openChannel = vi.spyOn(globalThis, 'BroadcastChannel');
    const addListener = vi.spyOn(document, 'addEventListener');
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: PLATFORM_ID, useValue: 'server' },
        provideSession(withIdleTimeout()),
      ],
    });
    const session = TestBed.inject(SessionService);
    const lifecycle = TestBed.inject(SessionLifecycle);
    const http = TestBed.inject(HttpTestingController);
    http.expectOne('/api/session').flush(lively(MINUTE));
    await session.ready();
    expect(lifecycle.expiresAt()).toBeNull();
    expect(lifecycle.countdown()).toBeNull();
    expect(lifecycle.warning()).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    expect(openChannel).not.toHaveBeenCalled();
    expect(addListener).not.toHaveBeenCalled();
    openChannel.mockRestore();
    addListener.mockRestore();
    http.verify();
  });

  it('SessionLifecycle without a lifecycle feature has no provider, and SessionService no lifecycle member', async () => {
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: PLATFORM_ID, useValue: 'browser' }, provideSession()],
    });
    const session = TestBed.inject(SessionService);
    TestBed.inject(HttpTestingController).expectOne('/api/session').flush(ALICE);
    await session.ready();
    expect(() => TestBed.inject(SessionLifecycle)).toThrow(/NG0201.*SessionLifecycle/);
    expect(session.constructor).toBe(SessionService);
    expect('expiresAt' in session || 'extend' in session || 'endedReason' in session).toBe(false);
  });

  it('extend() with withSessionEvents() alone names the fix', async () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: PLATFORM_ID, useValue: 'server' },
        provideSession(withSessionEvents({ url: '/api/auth/session-events' })),
      ],
    });
    const session = TestBed.inject(SessionService);
    const lifecycle = TestBed.inject(SessionLifecycle);
    TestBed.inject(HttpTestingController).expectOne('/api/session').flush(ALICE);
    await session.ready();
    await expect(lifecycle.extend()).rejects.toThrow('SessionLifecycle.extend() needs withIdleTimeout() in provideSession()');
    expect(lifecycle.expiresAt()).toBeNull();
    expect(lifecycle.warning()).toBe(false);
    expect(lifecycle.endedReason()).toBeNull();
  });
});
