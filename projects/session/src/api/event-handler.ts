import type { SessionEvent } from '../http/event';

/**
 * A handler h3 v1 and v2 both take: a plain function, marked with the flag h3 v1's `defineEventHandler()` sets
 * (v1 would otherwise warn about an implicit conversion; v2 takes any function).
 */
export type SessionEventHandler<R> = ((event: SessionEvent, next?: () => unknown) => R) & { __is_handler__?: true };

/** Marks `handler` as an h3 event handler, without importing h3. */
export function asEventHandler<R>(handler: (event: SessionEvent, next?: () => unknown) => R): SessionEventHandler<R> {
  return Object.assign(handler, { __is_handler__: true as const });
}
