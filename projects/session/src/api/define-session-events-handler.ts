import type { SessionConfig, SessionData } from '../core/config';
import { SessionError } from '../core/errors';
import { withStoreTimeout } from '../core/internal/with-store-timeout';
import { movedMarkTime, parseRecord } from '../core/record';
import { addStream, deliverNotice, handleOf, parseNotice, type SessionEvents, type SessionEndReason } from '../core/session-events';
import { openEventStream, type EventStreamWriter, type SessionEvent } from '../http/event';
import { asHostError } from '../http/host-error';
import { asEventHandler, type SessionEventHandler } from './event-handler';
import { handlerSession } from './load-session';

/** Options of {@link defineSessionEventsHandler}. */
export interface SessionEventsOptions<T extends SessionData = SessionData> {
  /** Session config, for apps without {@link defineSessionMiddleware}. @default undefined (use the middleware's) */
  config?: SessionConfig<T>;
  /** Seconds between heartbeats (`: ping` comment lines), which keep proxies and load balancers from closing an idle stream. @default 25 */
  heartbeatInterval?: number;
  /** Milliseconds the browser waits before reconnecting a dropped stream (the SSE `retry:` field). @default 3000 */
  reconnectDelay?: number;
  /** Open streams this instance serves at most; beyond, 429 `TOO_MANY_STREAMS`. @default 10000 */
  maxStreams?: number;
  /** Open streams one user has on this instance at most (one per browser is what the Angular client opens). @default 10 */
  maxStreamsPerUser?: number;
}

/** Defaults merged under every {@link SessionEventsOptions}. */
export const DEFAULT_SESSION_EVENTS_OPTIONS = {
  heartbeatInterval: 25,
  reconnectDelay: 3000,
  maxStreams: 10_000,
  maxStreamsPerUser: 10,
} as const;

/** Headers of the stream. `X-Accel-Buffering: no` keeps nginx (and proxies that honour it) from buffering events. */
const STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-store',
  'X-Accel-Buffering': 'no',
};

const READY = 'event: ready\ndata: {}\n\n';
const PING = ': ping\n\n';

/** The message that tells a tab its session ended, and why. */
function endedMessage(reason: SessionEndReason): string {
  return `event: session\ndata: ${JSON.stringify({ type: 'ended', reason })}\n\n`;
}

/**
 * A GET handler serving server-sent events to a signed-in tab: the moment its session ends elsewhere (revoked,
 * signed out on another device or tab, evicted, expired), the tab gets
 * `event: session` / `data: {"type":"ended","reason":"..."}` and the stream closes. It starts with
 * `event: ready` / `data: {}` once this instance listens, then sends a `: ping` comment every `heartbeatInterval`.
 * An anonymous request gets 401 (JSON, no stream); one beyond the caps 429. Across instances the notices travel
 * through the store (Redis pub/sub, sharded on a Cluster); on memory and fs stores within the process.
 * Mount it at one route, e.g. `src/server/routes/api/auth/session-events.get.ts`. Behind nginx, the
 * `X-Accel-Buffering: no` it sends turns buffering off; other proxies must not buffer `text/event-stream`.
 *
 * @example
 * // src/server/routes/api/auth/session-events.get.ts
 * export default defineSessionEventsHandler();
 */
export function defineSessionEventsHandler<T extends SessionData = SessionData>(
  options: SessionEventsOptions<T> = {},
): SessionEventHandler<Promise<Response | undefined>> {
  const { heartbeatInterval, reconnectDelay, maxStreams, maxStreamsPerUser } = { ...DEFAULT_SESSION_EVENTS_OPTIONS, ...options };
  // The streams of this handler, for the heartbeat: one timer for all of them, running only while one is open.
  const beating = new Set<EventStreamWriter>();
  let timer: ReturnType<typeof setInterval> | undefined;
  const beat = (writer: EventStreamWriter, on: boolean) => {
    if (on) beating.add(writer);
    else beating.delete(writer);
    if (beating.size > 0 && !timer) {
      timer = setInterval(() => {
        for (const open of beating) open.write(PING);
      }, heartbeatInterval * 1000);
      (timer as { unref?: () => void }).unref?.();
    } else if (beating.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  return asEventHandler(async (event) => {
    const state = await handlerSession(event, options.config, 'defineSessionEventsHandler()');
    const { store, key } = state;
    const userId = state.record?.userId;
    if (!key || userId === undefined) {
      throw asHostError(new SessionError('UNAUTHORIZED', 'defineSessionEventsHandler(): this request is not signed in.'));
    }
    const events = store.events;
    await listen(events, store.backend, state.config.timeout);
    const session = await handleOf(store.memberName(key));

    let writer: EventStreamWriter | undefined;
    const sink = {
      end: (reason: SessionEndReason) => {
        writer?.write(endedMessage(reason));
        writer?.close();
      },
    };
    const added = addStream(events, session, userId, sink, { maxStreams, maxStreamsPerUser });
    if (typeof added === 'string') {
      const which = added === 'user' ? `maxStreamsPerUser (${maxStreamsPerUser})` : `maxStreams (${maxStreams})`;
      throw asHostError(new SessionError('TOO_MANY_STREAMS', `defineSessionEventsHandler(): ${which} open streams on this instance.`));
    }
    const opened = openEventStream(event, STREAM_HEADERS, () => {
      added();
      beat(opened.writer, false);
    });
    writer = opened.writer;
    writer.write(`retry: ${reconnectDelay}\n\n`);
    writer.write(READY);
    beat(writer, true);
    // A session ended between this request's read and the stream's registration sent its notice to nobody.
    recheck(state.store, key, sink, writer).catch(() => undefined);
    return opened.response;
  });
}

/** Starts this instance's subscription to the store's notices (once), and waits until it is live. */
async function listen(events: SessionEvents, backend: string, timeout: number): Promise<void> {
  const { channel } = events;
  if (!channel) return;
  events.listening ??= channel.subscribe((text) => {
    const notice = parseNotice(text);
    if (notice) deliverNotice(events, notice);
  });
  const listening = events.listening;
  try {
    await withStoreTimeout(backend, 'defineSessionEventsHandler()', timeout, () => listening);
  } catch (error) {
    // The next stream tries again.
    if (events.listening === listening) events.listening = undefined;
    throw error instanceof SessionError ? asHostError(error) : error;
  }
}

/** Ends the stream at once if its session is already gone; closes it quietly if it moved (the tab reconnects with its new cookie). */
async function recheck(
  store: { get(key: string): unknown },
  key: string,
  sink: { end(reason: SessionEndReason): void },
  writer: EventStreamWriter,
): Promise<void> {
  const raw = await store.get(key);
  if (parseRecord(raw)) return;
  if (movedMarkTime(raw) !== undefined) writer.close();
  else sink.end('revoked');
}
