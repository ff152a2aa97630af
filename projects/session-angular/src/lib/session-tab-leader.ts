import { DOCUMENT } from '@angular/common';
import { DestroyRef, type EnvironmentInjector, Injector, inject, signal } from '@angular/core';

import { SESSION_CROSS_TAB_CHANNEL } from './session-config';
import { leaveGuardedRoute } from './session.guard';
import { SessionLifecycleHandle } from './session-lifecycle';

/**
 * What the lifecycle features post on the cross-tab channel, next to the core's `'changed'`: instants, reasons and
 * tab ids, never session data. Older clients on the channel ignore anything but `'changed'`.
 */
export type SessionLifecycleMessage =
  | { type: 'session-activity' }
  | { type: 'session-expiry'; expiresAt: number; absoluteExpiresAt: number | null; touchedAt: number }
  | { type: 'session-ended'; reason: string | null }
  | { type: 'session-leader?' }
  | { type: 'session-leader'; id: string }
  | { type: 'session-resign'; id: string };

/**
 * Without Web Locks: how long a tab waits for a leader to answer before it claims the lead itself, plus up to as
 * much again at random, so that tabs electing together mostly hear the first claim instead of all claiming.
 */
export const LEADER_CLAIM_AFTER_MS = 100;

/**
 * What the lifecycle features share in a tab: the channel, the election of one tab per browser (keep-alive touches
 * and the event stream come from it), and the end of the session with its reason. With Web Locks the tab holding
 * the lock `<channel>:leader` leads, and the next one waiting takes over when it closes. Without them (insecure
 * origins, old browsers) tabs claim the lead over the BroadcastChannel: a tab that hears no leader within
 * {@link LEADER_CLAIM_AFTER_MS} (and a random part) claims it, the lowest id wins a tie, a closing leader resigns,
 * and a tab that becomes visible checks that a leader still answers (one that crashed never resigned). With
 * cross-tab sync off, or no BroadcastChannel, every tab leads itself. Nothing runs before `start()`, which the
 * features call in the browser only.
 */
export class SessionTabLeader {
  private readonly win = inject(DOCUMENT).defaultView;
  // Provided in an environment injector (provideSession()): `Injector` is that EnvironmentInjector. Asked for by the
  // name the core imports too, which keeps the bundle of apps without the features as it was (bench/client-bundle.mjs).
  private readonly injector = inject(Injector) as EnvironmentInjector;
  private readonly channelName = inject(SESSION_CROSS_TAB_CHANNEL);
  private readonly destroyRef = inject(DestroyRef);
  private readonly id = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  private readonly messageListeners: Array<(message: unknown) => void> = [];
  private readonly leadListeners: Array<() => void> = [];
  private readonly cleanups: Array<() => void> = [];
  private readonly _endedReason = signal<string | null>(null);
  private channel: BroadcastChannel | null = null;
  private handle: SessionLifecycleHandle | null = null;
  private knownLeader: string | null = null;
  private claimTimer: ReturnType<typeof setTimeout> | undefined;
  private _leading = false;

  /** `SessionLifecycle.endedReason`: set when the session ended for a known reason, cleared at the next sign-in. */
  readonly endedReason = this._endedReason.asReadonly();

  /**
   * Connects the session's levers, opens the channel and joins the election; the first lifecycle feature to connect
   * (in the browser) starts it, the second finds it started.
   */
  start(handle: SessionLifecycleHandle): void {
    if (this.handle) return;
    this.handle = handle;
    handle.listeners.push((summary) => {
      if (summary.authenticated) this._endedReason.set(null);
    });
    this.destroyRef.onDestroy(() => this.close());
    const name = this.channelName;
    if (name === false || typeof BroadcastChannel !== 'function') {
      this._leading = true;
      return;
    }
    // A channel of its own beside the core's (session-tab-sync.ts): it hears the core's 'changed' too.
    const channel = (this.channel = new BroadcastChannel(name));
    channel.addEventListener('message', (event) => this.receive(event.data));
    this.cleanups.push(() => channel.close());
    const locks = this.win?.navigator.locks;
    if (locks) {
      const abort = new AbortController();
      let release: () => void = () => undefined;
      locks
        .request(`${channel.name}:leader`, { signal: abort.signal }, () => {
          this.setLeading(true);
          return new Promise<void>((resolve) => (release = resolve));
        })
        .catch(() => undefined); // aborted while waiting: this tab closed before it led
      this.cleanups.push(() => {
        abort.abort();
        release();
      });
    } else {
      const win = this.win;
      const onPageHide = () => this.resign();
      const onVisible = () => {
        if (win?.document.visibilityState === 'visible' && !this._leading) this.elect();
      };
      win?.addEventListener('pagehide', onPageHide);
      win?.document.addEventListener('visibilitychange', onVisible);
      this.cleanups.push(() => {
        this.resign();
        clearTimeout(this.claimTimer);
        win?.removeEventListener('pagehide', onPageHide);
        win?.document.removeEventListener('visibilitychange', onVisible);
      });
      this.elect();
    }
  }

  /** True while this tab is the elected one. */
  get leading(): boolean {
    return this._leading;
  }

  /** Calls `listener` whenever this tab gains or loses the lead. */
  onLeadChange(listener: () => void): void {
    this.leadListeners.push(listener);
  }

  /** Calls `listener` with every message other tabs post on the channel (the core's `'changed'` included). */
  onMessage(listener: (message: unknown) => void): void {
    this.messageListeners.push(listener);
  }

  post(message: SessionLifecycleMessage): void {
    this.channel?.postMessage(message);
  }

  /**
   * The session ended for `reason` (the server said so): every tab re-reads its summary, turns anonymous with that
   * reason, and leaves a guarded page. Resolves true when this tab turned anonymous.
   */
  endEverywhere(reason: string | null): Promise<boolean> {
    this.post({ type: 'session-ended', reason });
    return this.endHere(reason);
  }

  /** Like `endEverywhere()`, in this tab only (every tab reaches the idle expiry by itself). */
  async endHere(reason: string | null): Promise<boolean> {
    const handle = this.handle;
    if (handle?.status() !== 'authenticated' || handle.leaving()) return false;
    const summary = await handle.read().catch(() => null);
    if (!summary || summary.authenticated) return false;
    this.ended(reason);
    return true;
  }

  /** This tab just turned anonymous because the session ended for `reason`: say why, and leave a guarded page. */
  ended(reason: string | null): void {
    this._endedReason.set(reason);
    void leaveGuardedRoute(this.injector);
  }

  private receive(data: unknown): void {
    const message = data as Partial<Record<string, unknown>> | null;
    if (message?.['type'] === 'session-ended') {
      const reason = message['reason'];
      void this.endHere(typeof reason === 'string' ? reason : null);
    } else if (!this.win?.navigator.locks) {
      this.electionMessage(message);
    }
    for (const listener of this.messageListeners) listener(data);
  }

  // --- claims over the BroadcastChannel, where there are no Web Locks ---

  private elect(): void {
    this.knownLeader = null;
    this.post({ type: 'session-leader?' });
    clearTimeout(this.claimTimer);
    this.claimTimer = setTimeout(
      () => {
        if (this.knownLeader === null) {
          this.knownLeader = this.id;
          this.setLeading(true);
          this.post({ type: 'session-leader', id: this.id });
        }
      },
      LEADER_CLAIM_AFTER_MS * (1 + Math.random()),
    );
  }

  private electionMessage(message: Partial<Record<string, unknown>> | null): void {
    const id = typeof message?.['id'] === 'string' ? message['id'] : null;
    switch (message?.['type']) {
      case 'session-leader?':
        if (this._leading) this.post({ type: 'session-leader', id: this.id });
        break;
      case 'session-leader':
        if (id === null) break;
        // The lowest id claiming is the leader: the others step down when they hear it.
        if (!this._leading) this.knownLeader = this.knownLeader === null || id < this.knownLeader ? id : this.knownLeader;
        else if (id < this.id) {
          this.knownLeader = id;
          this.setLeading(false);
        } else this.post({ type: 'session-leader', id: this.id });
        break;
      case 'session-resign':
        if (id !== null && id === this.knownLeader) this.elect();
        break;
    }
  }

  private resign(): void {
    if (!this._leading || this.win?.navigator.locks) return;
    this.post({ type: 'session-resign', id: this.id });
    this.setLeading(false);
  }

  private setLeading(leading: boolean): void {
    if (this._leading === leading) return;
    this._leading = leading;
    for (const listener of this.leadListeners) listener();
  }

  private close(): void {
    // Last in, first out: the resignation is posted before the channel closes.
    this.cleanups
      .splice(0)
      .reverse()
      .forEach((cleanup) => cleanup());
    this.setLeading(false);
    this.messageListeners.length = 0;
    this.leadListeners.length = 0;
  }
}
