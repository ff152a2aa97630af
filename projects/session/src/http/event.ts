// The one module that knows what an h3 event looks like. h3 v2 (srvx, Nitro 3, Workers, Bun, Deno) carries a web
// Request in `event.req` and the response headers in `event.res`; h3 v1 (Nitro 2, Analog 2, Nuxt 4) carries Node's
// request and response in `event.node`. v2 is detected first, by `event.req.headers.get`: srvx on Node and Nuxt 5's
// compatibility layer add an `event.node` to v2 events, and in a v2 sub-request (`fetchWithEvent`) it is the parent's.
import type { H3Event } from 'h3';

/** An h3 event of either major: the type of whichever `h3` the app installed. */
export type SessionEvent = H3Event;

type NodeHeaders = Record<string, string | string[] | number | undefined>;

/** What the session reads and writes of a v1 event; every part may be missing in a hand-built test event. */
interface NodeEvent {
  method?: string;
  node?: {
    req?: { headers?: NodeHeaders; method?: string; url?: string; socket?: { encrypted?: boolean } };
    res?: {
      getHeader?(name: string): string | string[] | number | undefined;
      setHeader?(name: string, value: string | string[]): unknown;
      headersSent?: boolean;
    };
  };
  handled?: boolean;
  context?: Record<string, unknown>;
}

/** What the session reads and writes of a v2 (web) event. `errHeaders` exists from h3 2.0.1-rc.17. */
interface WebEvent {
  req: { headers: Headers; method?: string; url?: string };
  res: { headers: Headers; errHeaders?: Headers };
  context?: Record<string, unknown>;
}

function webEvent(event: SessionEvent): WebEvent | undefined {
  const req = (event as { req?: { headers?: { get?: unknown } } }).req;
  return typeof req?.headers?.get === 'function' ? (event as unknown as WebEvent) : undefined;
}

/** True for an h3 v2 (web) event. */
export function isWebEvent(event: SessionEvent): boolean {
  return webEvent(event) !== undefined;
}

/**
 * A request header, `undefined` when absent. Node's repeated headers are joined with `, ` as h3 joins them; an
 * event without headers (a hand-built test event) has none.
 */
export function requestHeader(event: SessionEvent, name: string): string | undefined {
  const web = webEvent(event);
  if (web) return web.req.headers.get(name) ?? undefined;
  const value = (event as NodeEvent).node?.req?.headers?.[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.filter(Boolean).join(', ') : String(value);
}

/** The request's method, upper-case (`GET` when a hand-built test event has none). */
export function requestMethod(event: SessionEvent): string {
  const web = webEvent(event);
  const method = web ? web.req.method : ((event as NodeEvent).method ?? (event as NodeEvent).node?.req?.method);
  return method ? method.toUpperCase() : 'GET';
}

/**
 * The URL the request was sent to, as this server saw it (no proxy header read): v2's `Request` URL; on v1 the
 * connection's scheme (https over TLS), the `Host` header and the request target. Undefined when they make no URL.
 */
export function requestUrl(event: SessionEvent): URL | undefined {
  const web = webEvent(event);
  try {
    if (web) return web.req.url ? new URL(web.req.url) : undefined;
    const req = (event as NodeEvent).node?.req;
    const host = requestHeader(event, 'host');
    if (!req || !host) return undefined;
    const base = `${req.socket?.encrypted === true ? 'https' : 'http'}://${host}`;
    const url = new URL(req.url ?? '/', base);
    // A request target in absolute form (`POST http://other/ HTTP/1.1`) names a host the connection never reached.
    return url.origin === new URL(base).origin ? url : undefined;
  } catch {
    return undefined;
  }
}

/** A response header as set so far (Set-Cookie excepted: see {@link setCookieHeader}). */
export function responseHeader(event: SessionEvent, name: string): string | undefined {
  const web = webEvent(event);
  if (web) return web.res.headers.get(name) ?? undefined;
  const value = (event as NodeEvent).node?.res?.getHeader?.(name);
  return value === undefined ? undefined : Array.isArray(value) ? value.join(', ') : String(value);
}

/**
 * Sets a response header. On v2 a request that ends in an error answers with other headers: the middleware carries
 * the session's there (see {@link carrySessionHeaders}).
 */
export function setResponseHeader(event: SessionEvent, name: string, value: string): void {
  const web = webEvent(event);
  if (web) return void web.res.headers.set(name, value);
  (event as NodeEvent).node?.res?.setHeader?.(name, value);
}

/** Adds the Set-Cookie header `serialized` of cookie `name`, replacing one this response already sets for that name. */
export function setCookieHeader(event: SessionEvent, name: string, serialized: string): void {
  const web = webEvent(event);
  if (web) return replaceCookie(web.res.headers, name, serialized);
  const res = (event as NodeEvent).node?.res;
  if (!res?.setHeader) return;
  const current = res.getHeader?.('set-cookie');
  const others = (Array.isArray(current) ? current : current === undefined ? [] : [String(current)]).filter(
    (cookie) => !cookie.startsWith(`${name}=`),
  );
  res.setHeader('set-cookie', others.length === 0 ? serialized : [...others, serialized]);
}

function replaceCookie(headers: Headers, name: string, serialized: string): void {
  const current = headers.getSetCookie();
  if (current.some((cookie) => cookie.startsWith(`${name}=`))) {
    headers.delete('set-cookie');
    for (const cookie of current) if (!cookie.startsWith(`${name}=`)) headers.append('set-cookie', cookie);
  }
  headers.append('set-cookie', serialized);
}

/**
 * Whether the response's headers are gone on a v1 event (Node sent them, or h3 marked the event handled). A v2
 * event cannot tell: its middleware marks the session instead (see defineSessionMiddleware).
 */
export function isNodeResponseSent(event: SessionEvent): boolean {
  if (webEvent(event)) return false;
  const node = event as NodeEvent;
  return node.handled === true || node.node?.res?.headersSent === true;
}

/** The request's context object (`event.context`), created on a hand-built event that lacks one. */
export function eventContext(event: SessionEvent): Record<string, unknown> {
  const holder = event as { context?: Record<string, unknown> };
  return (holder.context ??= {});
}

/**
 * Copies what the session set on a v2 response (its cookie, Cache-Control) to where an error response takes its
 * headers from: a thrown error's own `headers` (Nitro 3 answers an error with those alone), or, with `error`
 * undefined, `errHeaders` (h3 uses them for a returned Response of status 400 or more). h3 before 2.0.1-rc.17
 * (Nitro 3.0.0) has no errHeaders and merges the response headers into every error response: nothing to do there.
 */
export function carrySessionHeaders(event: SessionEvent, error: { headers?: Headers } | undefined, cookieName: string): void {
  const web = webEvent(event);
  if (!web || !('errHeaders' in web.res)) return;
  const { headers } = web.res;
  const cookies = headers.getSetCookie().filter((cookie) => cookie.startsWith(`${cookieName}=`));
  const cacheControl = headers.get('cache-control');
  if (cookies.length === 0 && cacheControl === null) return;
  const target = error ? (error.headers ??= new Headers()) : web.res.errHeaders!;
  for (const cookie of cookies) replaceCookie(target, cookieName, cookie);
  if (cacheControl !== null && !target.has('cache-control')) target.set('cache-control', cacheControl);
}

/** An open server-sent-events response: text goes out as written, `close` ends it. */
export interface EventStreamWriter {
  write(text: string): void;
  close(): void;
}

/**
 * Starts a streamed response of status 200 with `headers` (and whatever the response already carries, such as the
 * session cookie). On h3 v1 it writes to Node's response at once and gives no value to return (the event is then
 * handled); on h3 v2 it gives a web `Response` whose body is the stream, for the handler to return. `onClose` runs
 * once when the client goes away or the stream is closed.
 */
export function openEventStream(
  event: SessionEvent,
  headers: Record<string, string>,
  onClose: () => void,
): { writer: EventStreamWriter; response: Response | undefined } {
  let closed = false;
  const done = () => {
    if (closed) return;
    closed = true;
    onClose();
  };
  const web = webEvent(event);
  if (web) {
    const encoder = new TextEncoder();
    let controller: ReadableStreamDefaultController<Uint8Array> | undefined;
    const body = new ReadableStream<Uint8Array>({
      start: (c) => void (controller = c),
      cancel: done,
    });
    (web.req as { signal?: AbortSignal }).signal?.addEventListener('abort', done);
    const all = new Headers(web.res.headers);
    for (const [name, value] of Object.entries(headers)) all.set(name, value);
    const writer: EventStreamWriter = {
      write: (text) => {
        if (closed) return;
        try {
          controller!.enqueue(encoder.encode(text));
        } catch {
          // The host errored the stream (the client went away without a cancel): it is closed.
          done();
        }
      },
      close: () => {
        if (closed) return;
        done();
        try {
          controller!.close();
        } catch {
          // already errored by the host
        }
      },
    };
    return { writer, response: new Response(body, { status: 200, headers: all }) };
  }
  const res = (event as unknown as { node: { res: NodeStreamResponse } }).node.res;
  res.writeHead(200, headers);
  res.flushHeaders?.();
  res.on('close', done);
  const writer: EventStreamWriter = {
    write: (text) => {
      if (!closed) res.write(text);
    },
    close: () => {
      if (closed) return;
      res.end();
      done();
    },
  };
  return { writer, response: undefined };
}

/** What a streamed response needs of Node's ServerResponse. */
interface NodeStreamResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  flushHeaders?(): void;
  write(chunk: string): unknown;
  end(): unknown;
  on(event: 'close', listener: () => void): unknown;
}
