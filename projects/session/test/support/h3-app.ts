// The h3 majors and hosts the integration suites run on, behind one small app builder, as h3 v2's own tests
// run a matrix of adapters. H3_FLAVOR (set per Vitest project) picks one for a whole run:
// - h3v1:            h3 1.15 on node:http (Analog 2, Nitro 2, Nuxt 4)
// - h3v2-fetch:      h3 2 through `app.fetch` with web Requests only: the event has no `event.node` (Workers, Deno, Bun)
// - h3v2-srvx:       h3 2 served by srvx on Node: the event also has `event.node` (plain h3 on Node, Nitro 3)
// - h3v2-node-shim:  h3 2 on srvx whose events carry a foreign `event.node` (Nuxt 5's compatibility layer, or a
//                    sub-request's parent): headers that are not this request's, a response already sent. The
//                    session must ignore it and take the v2 path.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as h3v1 from 'h3';
import * as h3v2 from 'h3v2';
import { serve as srvxServe } from 'srvx';

export const H3_FLAVORS = ['h3v1', 'h3v2-fetch', 'h3v2-srvx', 'h3v2-node-shim'] as const;
export type H3Flavor = (typeof H3_FLAVORS)[number];

/** The flavor of this run: H3_FLAVOR, else h3 v1. */
export function currentFlavor(): H3Flavor {
  const flavor = (process.env['H3_FLAVOR'] ?? 'h3v1') as H3Flavor;
  if (!H3_FLAVORS.includes(flavor)) throw new Error(`H3_FLAVOR=${flavor}: expected one of ${H3_FLAVORS.join(', ')}`);
  return flavor;
}

/** A handler of either major: takes the event, returns the response value (or throws an HTTP error). */
export type TestHandler = (event: any) => unknown;

/** An app of one flavor, with routes added through the same calls whatever the major. */
export interface TestApp {
  readonly flavor: H3Flavor;
  use(middleware: TestHandler): TestApp;
  get(path: string, handler: TestHandler): TestApp;
  post(path: string, handler: TestHandler): TestApp;
  /** The underlying h3 app: an h3 v1 `App`, or an h3 v2 `H3`. */
  readonly h3: unknown;
}

export interface Served {
  url: string;
  close(): Promise<void>;
}

export function createTestApp(flavor: H3Flavor = currentFlavor()): TestApp {
  if (flavor === 'h3v1') {
    const app = h3v1.createApp();
    const router = h3v1.createRouter();
    let routed = false;
    const route = () => {
      if (!routed) app.use(router);
      routed = true;
    };
    const test: TestApp = {
      flavor,
      h3: app,
      use: (middleware) => (app.use(middleware as h3v1.EventHandler), test),
      get: (path, handler) => (route(), router.get(path, h3v1.defineEventHandler(handler)), test),
      post: (path, handler) => (route(), router.post(path, h3v1.defineEventHandler(handler)), test),
    };
    return test;
  }
  const app = new h3v2.H3();
  if (flavor === 'h3v2-node-shim') app.use(foreignNode);
  const test: TestApp = {
    flavor,
    h3: app,
    use: (middleware) => (app.use(middleware as h3v2.Middleware), test),
    get: (path, handler) => (app.get(path, handler), test),
    post: (path, handler) => (app.post(path, handler), test),
  };
  return test;
}

/** Gives a v2 event the `event.node` of another, finished request: what the session must never read. */
function foreignNode(event: h3v2.H3Event): void {
  const node = {
    req: { headers: { cookie: 'connect.sid=s%3Aforeign.parent', 'x-nitro-prerender': '/foreign' } },
    res: { headersSent: true, getHeader: () => undefined, setHeader: () => undefined },
  };
  Object.defineProperty(event, 'node', { value: node, configurable: true });
}

/** Serves a test app on a free loopback port, the way its flavor is served in production. */
export async function serveTestApp(app: TestApp): Promise<Served> {
  switch (app.flavor) {
    case 'h3v1':
      return listen(h3v1.toNodeListener(app.h3 as h3v1.App));
    case 'h3v2-fetch':
      return listen(fetchListener((app.h3 as h3v2.H3).fetch));
    default: {
      const server = srvxServe({ fetch: (app.h3 as h3v2.H3).fetch, port: 0, hostname: '127.0.0.1', silent: true });
      await server.ready();
      return { url: server.url!.replace(/\/$/, ''), close: () => server.close(true) };
    }
  }
}

/** Serves a node:http listener on a free loopback port. */
export async function listen(listener: (req: IncomingMessage, res: ServerResponse) => void): Promise<Served> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** node:http to a fetch handler with plain web Requests (no runtime info), as a Worker or Deno would call it. */
function fetchListener(fetch: (request: Request) => Response | Promise<Response>) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    const body = chunks.length && req.method !== 'GET' && req.method !== 'HEAD' ? Buffer.concat(chunks) : undefined;
    const response = await fetch(new Request(`http://${req.headers.host}${req.url}`, { method: req.method, headers, body }));
    const out: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      if (name !== 'set-cookie') out[name] = value;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length) out['set-cookie'] = cookies;
    res.writeHead(response.status, response.statusText, out);
    res.end(Buffer.from(await response.arrayBuffer()));
  };
}

/** The parsed JSON body of a request. */
export async function readJson<T = any>(event: any): Promise<T> {
  return event.req?.headers?.get ? ((await (event.req as Request).json()) as T) : ((await h3v1.readBody(event)) as T);
}

/** A query parameter of the request URL. */
export function queryParam(event: any, name: string): string | undefined {
  if (event.req?.headers?.get) return (event as h3v2.H3Event).url.searchParams.get(name) ?? undefined;
  const value = h3v1.getQuery(event)[name];
  return value === undefined ? undefined : String(value);
}

/** A request header. */
export function header(event: any, name: string): string | undefined {
  return event.req?.headers?.get ? ((event.req as Request).headers.get(name) ?? undefined) : h3v1.getRequestHeader(event, name);
}

/** An HTTP error of the app's major, as a handler throws it. */
export function httpError(event: any, status: number, message: string): Error {
  return event.req?.headers?.get
    ? new h3v2.HTTPError({ status, message })
    : h3v1.createError({ statusCode: status, statusMessage: message });
}

/** A redirect response of the app's major. */
export function redirectTo(event: any, location: string): unknown {
  return event.req?.headers?.get ? h3v2.redirect(location) : h3v1.sendRedirect(event, location);
}

/** The fixed status text of an error response body: h3 v1 names it statusMessage, h3 v2 statusText. */
export function statusTextOf(body: { statusMessage?: string; statusText?: string }): string | undefined {
  return currentFlavor() === 'h3v1' ? body.statusMessage : body.statusText;
}
