// A browser's cookie store reduced to what the drivers need: one value per name, replaced or removed by each
// response's Set-Cookie headers, sent back on every request.
export const SESSION_COOKIE = 'connect.sid';

export class CookieJar {
  private readonly cookies = new Map<string, string>();

  get(name = SESSION_COOKIE): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Applies a response's Set-Cookie headers; an expired cookie (Max-Age=0 or a past Expires) is removed. */
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';').map((part) => part.trim());
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      const expired = attributes.some((attribute) => {
        const [key, val = ''] = attribute.split('=');
        if (key.toLowerCase() === 'max-age') return Number(val) <= 0;
        if (key.toLowerCase() === 'expires') return Date.parse(val) <= Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  copy(): CookieJar {
    const jar = new CookieJar();
    for (const [name, value] of this.cookies) jar.set(name, value);
    return jar;
  }
}

/** The Set-Cookie headers of a response that name the session cookie. */
export function sessionCookies(response: Response): string[] {
  return response.headers.getSetCookie().filter((line) => line.startsWith(`${SESSION_COOKIE}=`));
}
