// A real HTTP server for an h3 app, and a tiny cookie-keeping client: session behaviour is tested through
// real requests and real Set-Cookie headers, never by mocking h3.
import { toNodeListener, type App } from 'h3';
import { listen, serveTestApp, type Served, type TestApp } from './h3-app';

export type { Served } from './h3-app';

/** Serves an app on a free loopback port: a test app of any flavor, or an h3 v1 `App` built by a v1-only test. */
export async function serve(app: TestApp | App): Promise<Served> {
  return 'flavor' in app ? serveTestApp(app) : listen(toNodeListener(app));
}

/** One parsed Set-Cookie header. */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

export function parseSetCookie(header: string): SetCookie {
  const [pair, ...rest] = header.split(';');
  const eq = pair.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const [k, ...v] = part.trim().split('=');
    attributes[k.toLowerCase()] = v.length ? v.join('=') : true;
  }
  return { name: pair.slice(0, eq).trim(), value: decodeURIComponent(pair.slice(eq + 1).trim()), attributes };
}

/** A client that keeps the cookies a server sets, like a browser tab would. */
export class Client {
  readonly cookies = new Map<string, string>();
  lastSetCookies: SetCookie[] = [];

  constructor(readonly base: string) {}

  /** The raw (encoded) Cookie header this client sends. */
  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }

  async request(
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string>; redirect?: RequestRedirect } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size && !('cookie' in headers)) headers['cookie'] = this.cookieHeader;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(this.base + path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      redirect: init.redirect,
    });
    this.lastSetCookies = response.headers.getSetCookie().map(parseSetCookie);
    for (const cookie of this.lastSetCookies) {
      if (cookie.attributes['max-age'] === '0' || cookie.value === '') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return response;
  }

  async json<R = any>(path: string, init?: Parameters<Client['request']>[1]): Promise<R> {
    const response = await this.request(path, init);
    const text = await response.text();
    if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path} -> ${response.status} ${text}`);
    return JSON.parse(text) as R;
  }

  clone(): Client {
    const copy = new Client(this.base);
    for (const [k, v] of this.cookies) copy.cookies.set(k, v);
    return copy;
  }
}
