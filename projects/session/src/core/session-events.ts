// Things that happen to sessions, told to two audiences: the app's `onEvent` hook (every event, once, on the
// instance whose store write made it happen) and the open event streams of the sessions it ends (a notice, sent
// to every instance through the store's notice channel, or within this process). Owned per store (SessionBackend.events).
import { sessionHandle } from './keys';
import { messageOf } from './errors';

/** Who ended a session with `revokeUserSession(s)`: its own request, another session of its user, or the app's admin code. */
export type SessionRevokedBy = 'self' | 'other-device' | 'admin';

/** Why a session ended, as its open event streams are told; apps may pass their own (e.g. 'account-locked'). */
export type SessionEndReason = 'signed-out-elsewhere' | 'revoked' | 'expired' | 'evicted' | 'password-changed' | (string & {});

/** Fields every {@link SessionLifecycleEvent} has. */
interface SessionEventBase {
  /** The session, by the handle `listUserSessions` shows for it (a hash: never usable as a cookie). */
  session: string;
  /** The user the session is (or, for endings and `unbound`, was) bound to; null when anonymous. */
  userId: string | null;
  /** When the store confirmed it (ms since epoch). */
  at: number;
}

/**
 * Something that happened to a session, after the store confirmed it. Each happens once per session: on Redis
 * the instance whose atomic script made it happen reports it; the others do not.
 */
export type SessionLifecycleEvent = SessionEventBase &
  (
    | { type: 'created' }
    /** A new ID (`regenerateSession`, a login): `session` is the new handle, `previous` the old one. */
    | { type: 'regenerated'; previous: string }
    /** `setSessionUser(event, userId)` bound it to `userId`. */
    | { type: 'bound'; label: string | null }
    /** `setSessionUser(event, null)` (or binding another user) ended its binding to `userId`. */
    | { type: 'unbound' }
    /** `revokeUserSession` / `revokeUserSessions` deleted it. */
    | { type: 'revoked'; by: SessionRevokedBy; reason: SessionEndReason }
    /** `destroySession` (a logout) deleted it. */
    | { type: 'destroyed' }
    /** Found past its idle or absolute expiry by a request that read it or by the sweep (`pruneExpiredSessions`), and deleted. */
    | { type: 'expired'; cause: 'idle' | 'absolute'; foundBy: 'read' | 'sweeper' }
    /** Ended by a login of its user beyond `maxSessionsPerUser` (policy 'evict-oldest'). */
    | { type: 'evicted' }
  );

/** The app's hook: awaited by the call that made the event happen; what it throws is logged, never rethrown. */
export type SessionEventHook = (event: SessionLifecycleEvent) => unknown;

/** What the open streams of a session are told: it ended (with why), or it moved to a new handle (regeneration). */
export type SessionNotice = { type: 'ended'; session: string; reason: SessionEndReason } | { type: 'moved'; session: string; to: string };

/**
 * How the notices of one store reach every instance: Redis pub/sub (stores/redis-notices.ts), a SQL store's
 * LISTEN/NOTIFY. Without one, notices stay in this process (memory, fs: one instance per store).
 */
export interface SessionNoticeChannel {
  /** Sends a notice to every subscribed instance, this one included. */
  publish(notice: string): Promise<unknown>;
  /** Starts hearing notices; resolves once subscribed. Called once per store, at the first open stream. */
  subscribe(onNotice: (notice: string) => void): Promise<void>;
}

/** An open event stream, as a session's notices reach it. */
export interface SessionStreamSink {
  /** The session ended: tell the browser why and close. */
  end(reason: SessionEndReason): void;
}

/** Per store: the hooks of the configs using it, the notice channel, and this instance's open streams. */
export interface SessionEvents {
  /** The `onEvent` hooks of every config that uses this store (added at each config's first request). */
  readonly hooks: Set<SessionEventHook>;
  /** Cross-instance delivery; undefined: in this process only. */
  channel: SessionNoticeChannel | undefined;
  /** This instance's open streams, by session handle. */
  readonly streams: Map<string, Set<SessionStreamSink>>;
  /** This instance's open streams per user. */
  readonly userStreams: Map<string, number>;
  /** Open streams of this instance, all sessions together. */
  open: number;
  /** Set once this instance listens to the channel. */
  listening: Promise<void> | undefined;
}

export function createSessionEvents(): SessionEvents {
  return { hooks: new Set(), channel: undefined, streams: new Map(), userStreams: new Map(), open: 0, listening: undefined };
}

/** The caps {@link addStream} enforces on this instance. */
export interface StreamLimits {
  maxStreams: number;
  maxStreamsPerUser: number;
}

/**
 * Registers an open stream of session `session` (a handle) of `userId`; returns what unregisters it (once), or the
 * cap it would exceed.
 */
export function addStream(
  events: SessionEvents,
  session: string,
  userId: string,
  sink: SessionStreamSink,
  limits: StreamLimits,
): (() => void) | 'instance' | 'user' {
  if (events.open >= limits.maxStreams) return 'instance';
  const ofUser = events.userStreams.get(userId) ?? 0;
  if (ofUser >= limits.maxStreamsPerUser) return 'user';
  events.open++;
  events.userStreams.set(userId, ofUser + 1);
  const sinks = events.streams.get(session) ?? new Set();
  sinks.add(sink);
  events.streams.set(session, sinks);
  let removed = false;
  const drop = (key: string, set: Set<SessionStreamSink>) => {
    if (!set.delete(sink)) return false;
    if (set.size === 0) events.streams.delete(key);
    return true;
  };
  return () => {
    if (removed) return;
    removed = true;
    events.open--;
    const left = (events.userStreams.get(userId) ?? 1) - 1;
    if (left > 0) events.userStreams.set(userId, left);
    else events.userStreams.delete(userId);
    const own = events.streams.get(session);
    if (own && drop(session, own)) return;
    // Moved to a new handle by a regeneration (or already ended): found where it is now, if anywhere.
    for (const [key, set] of events.streams) if (drop(key, set)) return;
  };
}

/** The handle of a store member (SessionBackend.memberName), as listUserSessions and the events show it. */
export const handleOf = sessionHandle;

/** Whether anything listens: no hook and no channel, no stream in this process, means reporting costs nothing. */
export function isHeard(events: SessionEvents): boolean {
  return events.hooks.size > 0 || events.channel !== undefined || events.streams.size > 0;
}

/** The notice an event sends to the session's streams, if it sends one. */
function noticeOf(event: SessionLifecycleEvent): SessionNotice | undefined {
  switch (event.type) {
    case 'regenerated':
      return { type: 'moved', session: event.previous, to: event.session };
    case 'revoked':
      return { type: 'ended', session: event.session, reason: event.reason };
    case 'expired':
      return { type: 'ended', session: event.session, reason: 'expired' };
    case 'evicted':
      return { type: 'ended', session: event.session, reason: 'evicted' };
    // A logout in one tab (or one's binding dropped) signs the browser's other tabs out.
    case 'destroyed':
    case 'unbound':
      return { type: 'ended', session: event.session, reason: 'signed-out-elsewhere' };
    default:
      return undefined;
  }
}

/**
 * Reports events the store confirmed: notices go out at once (not awaited: a paused store must not hold the
 * response), then every hook runs, all of them awaited together. A hook that throws or rejects is logged.
 */
export async function reportSessionEvents(events: SessionEvents, happened: readonly SessionLifecycleEvent[]): Promise<void> {
  for (const event of happened) {
    const notice = noticeOf(event);
    if (notice) sendNotice(events, notice);
  }
  if (events.hooks.size === 0) return;
  const runs: Promise<unknown>[] = [];
  for (const event of happened) {
    for (const hook of events.hooks) runs.push(runHook(hook, event));
  }
  await Promise.all(runs);
}

async function runHook(hook: SessionEventHook, event: SessionLifecycleEvent): Promise<void> {
  try {
    await hook(event);
  } catch (error) {
    console.error(`[@analog-tools/session] config.onEvent threw for a '${event.type}' event: ${messageOf(error)}`);
  }
}

function sendNotice(events: SessionEvents, notice: SessionNotice): void {
  if (!events.channel) return deliverNotice(events, notice);
  events.channel.publish(JSON.stringify(notice)).catch((error: unknown) => {
    console.error(`[@analog-tools/session] could not publish a session notice: ${messageOf(error)}`);
  });
}

/** Hands a notice to this instance's streams of its session. */
export function deliverNotice(events: SessionEvents, notice: SessionNotice): void {
  const sinks = events.streams.get(notice.session);
  if (!sinks) return;
  if (notice.type === 'moved') {
    events.streams.delete(notice.session);
    const target = events.streams.get(notice.to);
    if (target) for (const sink of sinks) target.add(sink);
    else events.streams.set(notice.to, sinks);
    return;
  }
  events.streams.delete(notice.session);
  for (const sink of sinks) sink.end(notice.reason);
}

/** A notice as the channel carried it; undefined when it is not one (another publisher on the channel). */
export function parseNotice(text: string): SessionNotice | undefined {
  try {
    const value = JSON.parse(text) as Partial<SessionNotice> & Record<string, unknown>;
    if (typeof value.session !== 'string') return undefined;
    if (value.type === 'ended' && typeof value.reason === 'string') return { type: 'ended', session: value.session, reason: value.reason };
    if (value.type === 'moved' && typeof value.to === 'string') return { type: 'moved', session: value.session, to: value.to };
  } catch {
    // not ours
  }
  return undefined;
}
