// OpenTelemetry: the SDK's in-memory span exporter and a metric reader see the spans and metrics the README lists,
// with their attributes, through real requests on a real memory store and a real Redis.
import { metrics, trace } from '@opentelemetry/api';
import { AggregationTemporality, MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { createStorage, type Storage } from 'unstorage';
import memoryDriver from 'unstorage/drivers/memory';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signCookie, type SessionConfig } from '../src/index';
import { generateSessionId } from '../src/core/crypto';
import { storeKey } from '../src/core/keys';
import { Client, serve, type Served } from './support/http';
import { COOKIE, createSessionApp, SECRET, writeGate } from './support/session-app';
import { memoryStore, redisStore, type StoreUnderTest } from './support/stores';

/** A reader the test collects from on demand; delta temporality: each collection holds what changed since the last. */
class TestReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

const spans = new InMemorySpanExporter();
const reader = new TestReader();

beforeAll(() => {
  // The global providers, registered before any request as an app's SDK set-up does: the configs below leave
  // `telemetry` out, so the session records through these.
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }));
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
});
afterAll(() => {
  trace.disable();
  metrics.disable();
});

beforeEach(async () => {
  spans.reset();
  await reader.collect();
});

/** The metrics recorded since the last collection. */
async function collected() {
  const { resourceMetrics } = await reader.collect();
  const all = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  /** Every data point of the metric `name`. */
  const points = (name: string): DataPoint<any>[] =>
    all.filter((m) => m.descriptor.name === name).flatMap((m) => m.dataPoints as DataPoint<any>[]);
  /** The sum of a counter's points whose attributes include `attributes`. */
  const counted = (name: string, attributes: Record<string, unknown> = {}) =>
    points(name)
      .filter((p) => Object.entries(attributes).every(([k, v]) => p.attributes[k] === v))
      .reduce((sum, p) => sum + (p.value as number), 0);
  return { points, counted };
}

function spansNamed(name: string): ReadableSpan[] {
  return spans.getFinishedSpans().filter((span) => span.name === name);
}

const STORES: [string, string, () => Promise<StoreUnderTest>][] = [
  ['memory', 'memory', memoryStore],
  ['Redis', 'redis', redisStore],
];

describe.each(STORES)('OpenTelemetry on a %s store', (_, backend, open) => {
  let under: StoreUnderTest;
  let server: Served;
  let store: Storage<any>;

  beforeAll(async () => {
    under = await open();
    store = under.store;
  });
  afterAll(() => under.dispose());
  afterEach(() => server?.close());

  async function start(overrides: Partial<SessionConfig> = {}) {
    server = await serve(createSessionApp(store, overrides).app);
    return new Client(server.url);
  }

  it('puts every store operation in a span and its duration in analog_session.store.duration, by operation and backend', async () => {
    const client = await start();
    await client.json('/set', { body: { a: 1 } });
    await client.json('/inc', { method: 'POST' });
    await client.json('/destroy', { method: 'POST' });

    for (const name of ['session.store.create', 'session.store.get', 'session.store.compare_and_set', 'session.store.remove']) {
      const [span] = spansNamed(name);
      expect(span, name).toBeDefined();
      expect(span!.attributes['analog_session.store.backend']).toBe(backend);
      expect(span!.attributes['analog_session.store.operation']).toBe(name.slice('session.store.'.length));
      expect(span!.status.code).toBe(0);
    }
    expect(spansNamed('session.store.get')[0]!.attributes['analog_session.store.hit']).toBe(true);
    expect(spansNamed('session.store.compare_and_set')[0]!.attributes['analog_session.store.result']).toBe('ok');

    const durations = (await collected()).points('analog_session.store.duration');
    for (const operation of ['create', 'get', 'compare_and_set', 'remove']) {
      const point = durations.find(
        (p) => p.attributes['analog_session.store.operation'] === operation && p.attributes['analog_session.store.backend'] === backend,
      );
      expect(point, operation).toBeDefined();
      const histogram = point!.value as Histogram;
      expect(histogram.count).toBeGreaterThanOrEqual(1);
      // Seconds: no store call of this test takes a minute.
      expect(histogram.sum).toBeGreaterThan(0);
      expect(histogram.sum).toBeLessThan(60);
    }
  });

  it('counts compare-and-set conflicts and the retries they cause', async () => {
    const client = await start();
    await client.json('/inc', { method: 'POST' });
    // An update that read the session before another request wrote it: its compare-and-set conflicts, then retries.
    let release!: () => void;
    let reached!: () => void;
    const atGate = new Promise<void>((resolve) => (reached = resolve));
    writeGate.beforeWrite = () => {
      writeGate.beforeWrite = undefined;
      reached();
      return new Promise((resolve) => (release = resolve));
    };
    const late = client.clone().json('/inc', { method: 'POST' });
    await atGate;
    await client.json('/set', { body: { other: true } });
    release();
    expect((await late).n).toBe(2);

    const { counted } = await collected();
    expect(counted('analog_session.store.conflicts', { 'analog_session.store.backend': backend })).toBe(1);
    expect(counted('analog_session.write.retries', { 'analog_session.store.backend': backend })).toBe(1);
    const results = spansNamed('session.store.compare_and_set').map((span) => span.attributes['analog_session.store.result']);
    expect(results).toContain('conflict');
  });

  it('records the sessions per user when listed, and counts revocations by scope', async () => {
    const client = await start();
    const user = `ada-${generateSessionId().slice(0, 8)}`;
    const phone = new Client(server.url);
    const laptop = new Client(server.url);
    const tablet = new Client(server.url);
    for (const device of [phone, laptop, tablet]) await device.json('/login', { body: { user } });

    const listed = await phone.json<{ handle: string; current: boolean }[]>('/sessions');
    expect(listed).toHaveLength(3);
    const [list] = spansNamed('session.store.list_user');
    expect(list!.attributes['analog_session.user.sessions']).toBe(3);
    const [sizes] = (await collected()).points('analog_session.user.sessions');
    expect((sizes!.value as Histogram).count).toBe(1);
    expect((sizes!.value as Histogram).sum).toBe(3);
    expect(sizes!.attributes['analog_session.store.backend']).toBe(backend);

    // "Sign out that device": one session.
    const other = listed.find((session) => !session.current)!;
    expect((await phone.json('/sessions/revoke', { body: { handle: other.handle } })).revoked).toBe(true);
    expect(spansNamed('session.store.remove_member')[0]!.attributes['analog_session.revoked']).toBe(1);
    expect((await collected()).counted('analog_session.revocations', { 'analog_session.revocation.scope': 'session' })).toBe(1);

    // Every session of the user, through the Storage form of the call (the global providers' telemetry).
    expect((await client.json('/revoke', { body: { user } })).revoked).toBe(2);
    expect(spansNamed('session.store.revoke_user')[0]!.attributes['analog_session.revoked']).toBe(2);
    expect((await collected()).counted('analog_session.revocations', { 'analog_session.revocation.scope': 'user' })).toBe(2);
  });

  it('counts refused cookies by reason: malformed, oversized, tampered, unknown, expired, moved', async () => {
    await start();
    const send = (value: string) => fetch(`${server.url}/session`, { headers: { cookie: `${COOKIE}=${encodeURIComponent(value)}` } });

    const valid = new Client(server.url);
    await valid.json('/set', { body: { a: 1 } });
    const cookie = valid.cookies.get(COOKIE)!;
    expect((await send(cookie)).status).toBe(200);
    await send('not-a-session-cookie');
    await send(`${cookie}${'x'.repeat(4000)}`);
    // The last signature character changed: same shape, wrong signature.
    await send(cookie.slice(0, -1) + (cookie.endsWith('A') ? 'B' : 'A'));
    // Signed with the app's secret, but no session has this ID.
    await send(await signCookie(generateSessionId(), SECRET));
    // A session whose record expired (written back with an expiry in the past).
    const stale = new Client(server.url);
    await stale.json('/set', { body: { b: 1 } });
    const staleCookie = stale.cookies.get(COOKIE)!;
    const key = await storeKey('sess:', staleCookie.slice(2, staleCookie.lastIndexOf('.')));
    const record = JSON.parse(String(await store.getItemRaw(key)));
    await store.setItemRaw(key, JSON.stringify({ ...record, expiresAt: Date.now() - 1000 }));
    await send(staleCookie);
    // The old cookie of a regenerated session.
    const before = valid.cookies.get(COOKIE)!;
    await valid.json('/regenerate', { method: 'POST' });
    await send(before);

    const { counted } = await collected();
    for (const reason of ['malformed', 'oversized', 'tampered', 'unknown', 'expired', 'moved']) {
      expect(counted('analog_session.cookie.rejections', { 'analog_session.cookie.reason': reason }), reason).toBe(1);
    }
  });

  it('records nothing with telemetry: false', async () => {
    const client = await start({ telemetry: false });
    await client.json('/set', { body: { a: 1 } });
    await client.json('/inc', { method: 'POST' });
    await client.json('/session');
    // A per-user call given the Storage and this request (`except`) takes this config's telemetry: none.
    await client.json('/login', { body: { user: 'off' } });
    expect((await client.json('/revoke', { body: { user: 'off', keepMine: true } })).revoked).toBe(0);
    expect(spans.getFinishedSpans()).toEqual([]);
    expect((await collected()).points('analog_session.store.duration')).toEqual([]);
  });

  it('sends spans and metrics to the tracer and meter given in config.telemetry', async () => {
    const ownSpans = new InMemorySpanExporter();
    const ownReader = new TestReader();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(ownSpans)] }).getTracer('app');
    const meter = new MeterProvider({ readers: [ownReader] }).getMeter('app');
    const client = await start({ telemetry: { tracer, meter } });
    await client.json('/set', { body: { a: 1 } });
    expect(ownSpans.getFinishedSpans().map((span) => span.name)).toContain('session.store.create');
    expect(spans.getFinishedSpans()).toEqual([]);
    const { resourceMetrics } = await ownReader.collect();
    const names = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics.map((m) => m.descriptor.name));
    expect(names).toContain('analog_session.store.duration');
  });
});

describe('OpenTelemetry and a store that does not answer', () => {
  let server: Served | undefined;
  afterEach(() => server?.close());

  it('counts the timeout by caller and marks nothing as a success', async () => {
    // A memory store whose reads hang once `hang` is set (a fault injected, as in faults.spec.ts).
    let hang = false;
    const driver = memoryDriver();
    const store = createStorage({
      driver: {
        ...driver,
        getItem: (key: string, options: unknown) => (hang ? new Promise(() => undefined) : driver.getItem(key, options as {})),
        getItemRaw: (key: string, options: unknown) => (hang ? new Promise(() => undefined) : driver.getItemRaw!(key, options as {})),
      },
    });
    server = await serve(createSessionApp(store, { timeout: 100 }).app);
    const client = new Client(server.url);
    await client.json('/set', { body: { a: 1 } });
    hang = true;
    expect((await client.request('/session')).status).toBe(503);
    const { counted, points } = await collected();
    expect(counted('analog_session.store.timeouts', { 'analog_session.caller': 'useSession()' })).toBe(1);
    const durations = points('analog_session.store.duration');
    // The hung read never ended: its span and measurement stay open, no success is recorded for it.
    expect(durations.filter((p) => p.attributes['analog_session.store.operation'] === 'get')).toEqual([]);
  });
});
