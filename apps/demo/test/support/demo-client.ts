/** A tiny cookie-keeping client, like a browser on the demo's origin `base`. */
export function demoClient(base: string) {
  let cookie = '';
  return {
    get cookie() {
      return cookie;
    },
    set cookie(value: string) {
      cookie = value;
    },
    /** Sends the `Origin` a browser on the demo's origin sends; a header given as `undefined` is left out. */
    async send(method: string, path: string, body?: unknown, headers: Record<string, string | undefined> = {}) {
      const all: Record<string, string | undefined> = {
        origin: base,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(cookie ? { cookie } : {}),
        ...headers,
      };
      const response = await fetch(`${base}${path}`, {
        method,
        headers: Object.fromEntries(Object.entries(all).filter((entry): entry is [string, string] => entry[1] !== undefined)),
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        redirect: 'manual',
      });
      const setCookie = response.headers.get('set-cookie');
      if (setCookie) {
        const pair = setCookie.split(';')[0];
        cookie = pair.endsWith('=') ? '' : pair;
      }
      const isJson = response.headers.get('content-type')?.includes('json') ?? false;
      const json = isJson ? await response.json() : (await response.text(), undefined);
      return { status: response.status, headers: response.headers, json, setCookie };
    },
  };
}
