import { DOCUMENT } from '@angular/common';
import { DestroyRef, ErrorHandler, inject } from '@angular/core';

import type { SessionFeature } from './provide-session';
import { SessionEventsConnection, SessionLifecycleHandle } from './session-lifecycle';
import { provideSessionLifecycle } from './session-lifecycle-features';
import { SessionTabLeader } from './session-tab-leader';
import { SESSION_CHANGED_MESSAGE } from './session-tab-sync';

/** Options of `withSessionEvents()`. */
export interface SessionEventsOptions {
  /** URL of the server's session events route (server-sent events), e.g. `'/api/auth/session-events'`. */
  url: string;
}

/** Reconnection delays of the event stream: doubling from `min` up to `max`, each taken at 50-100 % (jitter). */
export const SESSION_EVENTS_RECONNECT_MS = { min: 1_000, max: 60_000 } as const;

// Longest line the stream may send before the client gives up on it (the server sends short JSON lines).
const MAX_LINE = 16_384;
// Longest reason kept: the server's own reasons are short words; anything longer is not one of them.
const MAX_REASON = 100;

/**
 * Hears at once when the server ends the session ("sign out everywhere else", a revocation, an eviction, a password
 * change, or an app's own reason), instead of at the next request. One elected tab per browser (the one
 * `withIdleTimeout()` uses, if present) holds a server-sent events stream on `url` while the session is
 * authenticated; when the server sends `event: session` with `{"type":"ended","reason":...}`, it tells the other tabs,
 * and every tab re-reads its summary, turns anonymous with `SessionLifecycle.endedReason()` set to the reason, and
 * leaves a page behind `sessionGuard()`. The stream reconnects with backoff after an error, restarts after a login or regeneration
 * (the core's `'changed'`), and stops when the session is anonymous. A route that is not there (404, or anything
 * but an event stream) turns the feature off for the page's life: the client then behaves as without it. Browser only.
 *
 * ```ts
 * provideSession(withAnalog(), withSessionEvents({ url: '/api/auth/session-events' }))
 * ```
 */
export function withSessionEvents(options: SessionEventsOptions): SessionFeature<'session-events'> {
  return {
    kind: 'session-events',
    providers: [provideSessionLifecycle(), { provide: SessionEventsConnection, useFactory: () => new SessionEvents(options) }],
  };
}

type Outcome = 'retry' | 'unauthorized' | 'absent';

class SessionEvents implements SessionEventsConnection {
  private readonly doc = inject(DOCUMENT);
  private readonly destroyRef = inject(DestroyRef);
  private readonly errorHandler = inject(ErrorHandler);
  private readonly tabs = inject(SessionTabLeader);
  private handle: SessionLifecycleHandle | null = null;
  private stream: AbortController | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private attempts = 0;
  /** The route is not there (or the page is gone): no stream for the rest of the page's life. */
  private off = false;

  constructor(private readonly options: SessionEventsOptions) {}

  connect(handle: SessionLifecycleHandle): void {
    if (typeof this.options?.url !== 'string' || this.options.url === '') {
      this.errorHandler.handleError(
        new TypeError(
          `[@analog-tools/session-angular] withSessionEvents(): pass the URL of the events route, ` +
            `e.g. { url: '/api/auth/session-events' }.`,
        ),
      );
      return;
    }
    this.handle = handle;
    this.tabs.start(handle);
    handle.listeners.push(() => this.update());
    this.tabs.onLeadChange(() => this.update());
    this.tabs.onMessage((message) => {
      // A login or regeneration gave this browser another session ID: the stream follows the new cookie.
      if (message === SESSION_CHANGED_MESSAGE && this.stream) this.restart();
    });
    this.destroyRef.onDestroy(() => {
      this.off = true;
      this.stop();
    });
    this.update();
  }

  /** Holds a stream exactly while this tab leads and the session is authenticated. */
  private update(): void {
    const wanted = !this.off && this.tabs.leading && this.handle?.status() === 'authenticated';
    if (!wanted) this.stop();
    else if (!this.stream && this.retryTimer === undefined) this.open();
  }

  private stop(): void {
    this.stream?.abort();
    this.stream = null;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.attempts = 0;
  }

  private restart(): void {
    this.stop();
    this.update();
  }

  private open(): void {
    const stream = new AbortController();
    this.stream = stream;
    this.listen(stream.signal).then(
      (outcome) => this.closed(stream, outcome),
      () => this.closed(stream, 'retry'),
    );
  }

  private closed(stream: AbortController, outcome: Outcome): void {
    if (this.stream !== stream) return; // stopped or restarted meanwhile
    this.stream = null;
    if (outcome === 'absent') {
      this.off = true;
    } else if (outcome === 'unauthorized') {
      // The server no longer knows this session as signed in: the summary says how it stands now.
      void this.tabs.endEverywhere(null).then((ended) => ended || this.retry());
    } else {
      this.retry();
    }
  }

  private retry(): void {
    if (this.off || this.retryTimer !== undefined) return;
    const { min, max } = SESSION_EVENTS_RECONNECT_MS;
    const delay = Math.min(max, min * 2 ** this.attempts) * (0.5 + Math.random() / 2);
    this.attempts++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.update();
    }, delay);
  }

  private async listen(signal: AbortSignal): Promise<Outcome> {
    const url = new URL(this.options.url, this.doc.baseURI).href;
    const response = await fetch(url, { headers: { accept: 'text/event-stream' }, cache: 'no-store', credentials: 'same-origin', signal });
    if (response.status === 401) return 'unauthorized';
    const isStream = response.headers.get('content-type')?.split(';')[0].trim() === 'text/event-stream';
    if (!response.ok || !isStream || !response.body) {
      void response.body?.cancel().catch(() => undefined);
      // 408, 429 and 5xx pass; any other answer means there is no events route here.
      const passing = response.status === 408 || response.status === 429 || response.status >= 500;
      return passing ? 'retry' : 'absent';
    }
    await readEvents(response.body, signal, (type, data) => this.receive(type, data));
    return 'retry';
  }

  private receive(type: string, data: string): void {
    if (type === 'ready') {
      this.attempts = 0;
      return;
    }
    if (type !== 'session') return;
    let event: unknown;
    try {
      event = JSON.parse(data);
    } catch {
      return;
    }
    const { type: kind, reason } = (event ?? {}) as Record<string, unknown>;
    if (kind !== 'ended') return;
    const known = typeof reason === 'string' && reason.length > 0 && reason.length <= MAX_REASON ? reason : null;
    // Still signed in after all (the ended session was the one a login or regeneration replaced): listen anew.
    void this.tabs.endEverywhere(known).then((ended) => ended || this.restart());
  }
}

/**
 * Reads a server-sent events body and calls `onEvent` with each event's type (`'message'` when unnamed) and data
 * lines joined by `\n`, as EventSource does; comments (heartbeats) and fields other than `event` and `data` are
 * skipped. Resolves when the body ends; rejects when it fails, is aborted, or sends a line over {@link MAX_LINE}.
 */
export async function readEvents(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
  onEvent: (type: string, data: string) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener('abort', onAbort);
  let buffer = '';
  let type = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done || signal.aborted) return;
      buffer += decoder.decode(value, { stream: true });
      // A '\r' at the very end may be the first half of a '\r\n' split across chunks: keep it for the next one.
      const complete = buffer.endsWith('\r') ? buffer.length - 1 : buffer.length;
      const lines = buffer.slice(0, complete).split(/\r\n|\r|\n/);
      buffer = lines.pop()! + buffer.slice(complete);
      if (buffer.length > MAX_LINE) throw new Error('[@analog-tools/session-angular] session events: line too long');
      for (const line of lines) {
        if (line === '') {
          if (data.length > 0) onEvent(type || 'message', data.join('\n'));
          type = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const text = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
        if (field === 'event') type = text;
        else if (field === 'data') data.push(text);
      }
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
