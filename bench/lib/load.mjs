// The client side: opening sessions through /setup, probing a server, and driving it with autocannon.
import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';

/** Opens one session through /setup and returns the cookie header that carries it. */
export async function obtainCookie(port) {
  const res = await fetch(`http://127.0.0.1:${port}/setup`, { signal: AbortSignal.timeout(10_000) });
  await res.text();
  if (res.status !== 200) throw new Error(`/setup answered ${res.status}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]);
  if (cookies.length === 0) throw new Error('/setup set no cookie');
  return cookies.join('; ');
}

/** A Cookie header as long as ours (`connect.sid=s%3A` + 32-character ID + `.` + 43-character HMAC), random, for a ceiling. */
export function ceilingCookie() {
  return `connect.sid=s%3A${randomBytes(24).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
}

/** One request as the load sends it: status, whether it set a cookie, and the JSON body. */
export async function probe(port, cookie) {
  const res = await fetch(`http://127.0.0.1:${port}/`, { headers: cookie ? { cookie } : {}, signal: AbortSignal.timeout(10_000) });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text.slice(0, 200);
  }
  return { status: res.status, setsCookie: res.headers.getSetCookie().length > 0, body };
}

/**
 * Runs autocannon against `urls`; connection i goes to urls[i % urls.length] and sends
 * cookies[floor(i / urls.length)], so with two servers each session is used through both of them at once.
 * With `latencies`, every response time is collected in fractional ms (autocannon's own histogram has a
 * 1 ms resolution, too coarse for a p50 under a millisecond).
 * @param {{ urls: string[], cookies?: string[], connections: number, durationS?: number, amount?: number, latencies?: number[] }} options
 */
export function load({ urls, cookies = [], connections, durationS, amount, latencies }) {
  let next = 0;
  const instance = autocannon({
    url: urls.length === 1 ? urls[0] : urls,
    connections,
    pipelining: 1,
    ...(amount ? { amount } : { duration: durationS }),
    setupClient(client) {
      const i = next++;
      if (cookies.length) client.setHeaders({ cookie: cookies[Math.floor(i / urls.length) % cookies.length] });
    },
  });
  if (latencies) instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  // A hung server must not hang the harness: stop well after the planned end.
  const limitMs = ((durationS ?? 0) + 30) * 1000;
  const guard = setTimeout(() => instance.stop(), limitMs);
  return instance.then((result) => {
    clearTimeout(guard);
    return result;
  });
}

/** The p-th percentile (0-100) of an ascending array. */
export function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
