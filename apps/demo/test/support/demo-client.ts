/** Methods the session's CSRF check never looks at. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A tiny cookie-keeping client, like a browser tab of the demo's origin `base` running the Angular app: it keeps the
 * session cookie and the `XSRF-TOKEN` cookie, and sends the token back in `X-XSRF-TOKEN` on unsafe requests, as
 * Angular's HttpClient does.
 */
export function demoClient(base: string) {
  let cookie = '';
  let xsrf = '';
  return {
    /** The session cookie, `name=value`. */
    get cookie() {
      return cookie;
    },
    set cookie(value: string) {
      cookie = value;
    },
    /** The session's CSRF token, from the `XSRF-TOKEN` cookie. */
    get xsrf() {
      return xsrf;
    },
    /**
     * Sends the `Origin` a browser on the demo's origin sends, and the token on unsafe methods; a header given as
     * `undefined` is left out.
     */
    async send(method: string, path: string, body?: unknown, headers: Record<string, string | undefined> = {}) {
      const cookies = [cookie, xsrf && `XSRF-TOKEN=${xsrf}`].filter(Boolean).join('; ');
      const all: Record<string, string | undefined> = {
        origin: base,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(cookies ? { cookie: cookies } : {}),
        ...(xsrf && !SAFE_METHODS.has(method) ? { 'x-xsrf-token': xsrf } : {}),
        ...headers,
      };
      const response = await fetch(`${base}${path}`, {
        method,
        headers: Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined)),
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        redirect: 'manual',
      });
      let setCookie: string | null = null;
      for (const header of response.headers.getSetCookie()) {
        const pair = header.split(';')[0];
        const value = pair.slice(pair.indexOf('=') + 1);
        if (pair.startsWith('XSRF-TOKEN=')) {
          xsrf = value;
          continue;
        }
        setCookie = header;
        cookie = value === '' ? '' : pair;
      }
      const isJson = response.headers.get('content-type')?.includes('json') ?? false;
      const json = isJson ? await response.json() : (await response.text(), undefined);
      return { status: response.status, headers: response.headers, json, setCookie };
    },
  };
}
