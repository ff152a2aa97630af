import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, startDemoApi, type Answer, type DemoApi } from './support/demo-api';

// Login hardening through a real HTTP server: body limit, per-IP and per-username limits, and the bound on
// concurrent password hashing. Each test acts from its own loopback addresses (127.x.y.z) so that limits
// reached by one test do not leak into another.
let api: DemoApi;
let login: string;

beforeAll(async () => {
  api = await startDemoApi();
  login = `${api.base}/api/auth/login`;
});

afterAll(() => api.close());

const ADA = { username: 'ada', password: 'lovelace-demo' };
const GRACE = { username: 'grace', password: 'hopper-demo' };

function logIn(from: string, body: unknown): Promise<Answer> {
  return send(login, { method: 'POST', headers: { origin: api.base }, body, from });
}

function expectTooMany(answer: Answer, maxSeconds: number): void {
  expect(answer.status).toBe(429);
  expect(answer.headers['set-cookie']).toBeUndefined();
  const retryAfter = Number(answer.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
}

/** Streams `totalBytes` of JSON-ish body (no Content-Length unless `declare`) and resolves at the first answer. */
function streamLogin(totalBytes: number, declare: boolean): Promise<{ status: number; sentBytes: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const headers: Record<string, string> = { origin: api.base, 'content-type': 'application/json' };
    if (declare) headers['content-length'] = String(totalBytes);
    const req = request(login, { method: 'POST', headers, agent: false }, (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, sentBytes: sent });
      req.destroy();
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const pump = (): void => {
      while (!answered && sent < totalBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    req.flushHeaders();
    if (!declare || totalBytes < 1e6) pump();
  });
}

describe('login hardening', () => {
  it('answers 413 to a body declared too large, before any of it is sent', async () => {
    const answer = await streamLogin(300 * 1024 * 1024, true);
    expect(answer).toEqual({ status: 413, sentBytes: 0 });
  });

  it('answers 413 while an undeclared (chunked) body streams, long before 300 MB arrive', async () => {
    const answer = await streamLogin(300 * 1024 * 1024, false);
    expect(answer.status).toBe(413);
    expect(answer.sentBytes).toBeLessThan(16 * 1024 * 1024);
  });

  it('still reads small JSON and form bodies', async () => {
    expect((await logIn('127.2.9.1', ADA)).status).toBe(200);
    const form = await send(login, {
      method: 'POST',
      headers: { origin: api.base, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=grace&password=hopper-demo',
      from: '127.2.9.2',
    });
    expect(form.status).toBe(303);
    expect(form.headers.location).toBe('/account');
  });

  it('limits failed logins per IP address with 429 and Retry-After; other addresses are not affected', async () => {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      expect((await logIn('127.2.0.1', { username: `nobody-${attempt}`, password: 'wrong' })).status).toBe(401);
    }
    expectTooMany(await logIn('127.2.0.1', { username: 'nobody-else', password: 'wrong' }), 300);
    expectTooMany(await logIn('127.2.0.1', ADA), 300);
    expect((await logIn('127.2.0.2', ADA)).status).toBe(200);
  });

  it('does not count successful logins against the address', async () => {
    for (let attempt = 0; attempt < 25; attempt += 1) expect((await logIn('127.2.1.1', ADA)).status).toBe(200);
  });

  it('limits failed logins per username, except for an address that signed in as that user before', async () => {
    expect((await logIn('127.3.0.99', GRACE)).status).toBe(200);
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      expect((await logIn(`127.3.0.${attempt}`, { username: 'grace', password: 'wrong' })).status).toBe(401);
    }
    expectTooMany(await logIn('127.3.0.11', { username: 'Grace ', password: 'wrong' }), 300);
    // Even the right password: the lock must not confirm guesses.
    expectTooMany(await logIn('127.3.0.12', GRACE), 300);
    expect((await logIn('127.3.0.99', GRACE)).status).toBe(200);
    expect((await logIn('127.3.0.13', ADA)).status).toBe(200);
  });

  it('keeps signed-in requests answering quickly during a flood of 32 concurrent bad logins', async () => {
    const signIn = await logIn('127.0.0.1', ADA);
    const cookie = String(signIn.headers['set-cookie']).split(';')[0];

    let floodRequests = 0;
    const floodStatuses = new Map<number, number>();
    const until = performance.now() + 3000;
    const flooder = async (index: number) => {
      while (performance.now() < until) {
        floodRequests += 1;
        // A new address and username each time, as a botnet spraying names: only the hashing bound holds it.
        const from = `127.4.${floodRequests >> 8}.${floodRequests & 255 || 1}`;
        const answer = await logIn(from, { username: `spray-${index}-${floodRequests}`, password: 'wrong' });
        floodStatuses.set(answer.status, (floodStatuses.get(answer.status) ?? 0) + 1);
        // The flood's client shares this process with the server: without a pause, 503s answered at once would
        // measure this loop's own churn. bench/login-flood.mjs floods from another process without pausing.
        if (answer.status === 503) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const flood = Promise.all(Array.from({ length: 32 }, (_, index) => flooder(index)));

    await new Promise((resolve) => setTimeout(resolve, 300));
    const latencies: number[] = [];
    const statuses: number[] = [];
    while (performance.now() < until) {
      const answer = await send(`${api.base}/api/account`, { headers: { cookie } });
      latencies.push(answer.ms);
      statuses.push(answer.status);
    }
    await flood;

    latencies.sort((a, b) => a - b);
    const p50 = latencies[Math.floor(latencies.length / 2)];
    const p99 = latencies[Math.floor(latencies.length * 0.99)];
    const figures = `n=${latencies.length} p50=${p50.toFixed(1)} ms p99=${p99.toFixed(1)} ms`;
    console.info(`signed-in GET during the flood: ${figures}; flood answers`, Object.fromEntries(floodStatuses));
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(floodStatuses.get(401)).toBeGreaterThan(0);
    expect([...floodStatuses.keys()].every((status) => [401, 503].includes(status))).toBe(true);
    // Before the bound: every answer was 503 after 2 s (the fs store's calls queued behind scrypt in libuv's pool
    // of 4 threads). The bound is generous because the machine is shared; bench/login-flood.mjs gives figures.
    expect(p99).toBeLessThan(1500);
  });
});
