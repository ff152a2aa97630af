// OpenTelemetry spans and metrics of the session's store operations, cookie checks and writes (names in the README,
// "OpenTelemetry"). `@opentelemetry/api` is an optional peer: it is imported at the first request that needs it,
// never when this module loads, and a config without it (or with `telemetry: false`) keeps the plain backend:
// no wrapper, no closure, no clock read per store call.
import type { SessionBackend, WriteResult } from '../core/backend';
import { isPending } from '../core/internal/is-pending';
import { isSessionError, SessionError } from '../core/errors';
import type {
  CookieRejection,
  SessionTelemetry,
  TelemetryAttributes,
  TelemetryMeter,
  TelemetryOptions,
  TelemetrySpan,
  TelemetryTracer,
} from '../core/telemetry';

/** The instrumentation scope: the name the tracer and the meter are asked for. */
export const TELEMETRY_SCOPE = '@analog-tools/session';

/** `SpanStatusCode.ERROR` of `@opentelemetry/api` (a const enum there: not importable without the package). */
const SPAN_STATUS_ERROR = 2;

/** Store latency buckets in seconds: an in-process store answers in microseconds, a remote one in milliseconds. */
const DURATION_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** Sessions per user: DEFAULT_MAX_SESSIONS_PER_USER (100) is the most a user's index keeps. */
const USER_SESSION_BUCKETS = [1, 2, 3, 5, 10, 20, 50, 100];

/** The spans and instruments of one tracer and meter, made once per config (or once per process, for the globals). */
export interface StoreTelemetry extends SessionTelemetry {
  /** Wraps one backend method in a span and a duration measurement; `after` sees its result. */
  observe<A extends unknown[], R>(
    backend: SessionBackend,
    operation: string,
    method: (...args: A) => R,
    after?: (value: Awaited<R>, span: TelemetrySpan | undefined) => void,
  ): (...args: A) => R;
  /** The attributes of a measurement about `backend` (one object per backend name). */
  backendAttributes(backend: string): TelemetryAttributes;
  readonly conflicts: Counter | undefined;
  readonly revocations: Counter | undefined;
  readonly userSessions: Histogram | undefined;
}

type Counter = ReturnType<TelemetryMeter['createCounter']>;
type Histogram = ReturnType<TelemetryMeter['createHistogram']>;

/** The telemetry of `@opentelemetry/api`'s global providers: looked up once per process, at the first request. */
let globalTelemetry: Promise<StoreTelemetry | undefined> | undefined;

/**
 * The telemetry a `telemetry` option asks for: none for `false`; the global providers' when left out (none when
 * `@opentelemetry/api` is not installed or no SDK registered a provider) or `true` (then the package and a registered
 * provider are required); the given tracer and meter.
 * `caller` names the call in the error thrown when `true` finds no `@opentelemetry/api`.
 */
export function loadTelemetry(option: boolean | TelemetryOptions | undefined, caller: string): Promise<StoreTelemetry | undefined> {
  if (option === false) return Promise.resolve(undefined);
  const loading = typeof option === 'object' ? telemetryOf(option) : (globalTelemetry ??= telemetryOf({}));
  if (option !== true) return loading;
  return loading.then((telemetry) => {
    if (telemetry) return telemetry;
    const fix =
      'Install it (npm install @opentelemetry/api) and start the OpenTelemetry SDK before the first request, ' +
      'or leave config.telemetry out to record only when they are there.';
    const problem = 'config.telemetry is true but @opentelemetry/api cannot be imported or has no tracer or meter provider registered.';
    throw new SessionError('CONFIG_ERROR', `${caller}: ${problem} ${fix}`);
  });
}

async function telemetryOf(options: TelemetryOptions): Promise<StoreTelemetry | undefined> {
  const api = options.tracer && options.meter ? undefined : await import('@opentelemetry/api').catch(() => undefined);
  const tracer = options.tracer ?? (api && globalTracer(api));
  const meter = options.meter ?? (api && globalMeter(api));
  return tracer || meter ? createStoreTelemetry(tracer, meter) : undefined;
}

type Api = typeof import('@opentelemetry/api');

/**
 * The global tracer, or undefined when no SDK registered a tracer provider: `@opentelemetry/api` is often installed
 * as a dependency of another package with no SDK, and its no-op spans would still cost a wrapper per store call.
 */
function globalTracer(api: Api): TelemetryTracer | undefined {
  const provider = api.trace.getTracerProvider();
  const registered = !(provider instanceof api.ProxyTracerProvider) || provider.getDelegateTracer(TELEMETRY_SCOPE) !== undefined;
  return registered ? api.trace.getTracer(TELEMETRY_SCOPE) : undefined;
}

/** The global meter, or undefined when no SDK registered a meter provider (the API's no-op meter). */
function globalMeter(api: Api): TelemetryMeter | undefined {
  const meter = api.metrics.getMeter(TELEMETRY_SCOPE);
  return meter instanceof api.createNoopMeter().constructor ? undefined : meter;
}

/** Spans from `tracer` and metrics on `meter` (either may be missing). */
export function createStoreTelemetry(tracer: TelemetryTracer | undefined, meter: TelemetryMeter | undefined): StoreTelemetry {
  const duration = meter?.createHistogram('analog_session.store.duration', {
    description: 'Duration of session store operations.',
    unit: 's',
    advice: { explicitBucketBoundaries: DURATION_BUCKETS },
  });
  const conflicts = meter?.createCounter('analog_session.store.conflicts', {
    description: 'Compare-and-set writes refused because another writer changed the session first.',
    unit: '{conflict}',
  });
  const retries = meter?.createCounter('analog_session.write.retries', {
    description: 'Compare-and-set writes tried again on the newer record after a conflict.',
    unit: '{retry}',
  });
  const timeouts = meter?.createCounter('analog_session.store.timeouts', {
    description: 'Store calls that failed with STORAGE_ERROR because the store did not answer within config.timeout.',
    unit: '{timeout}',
  });
  const revocations = meter?.createCounter('analog_session.revocations', {
    description: 'Sessions ended by revokeUserSessions() (scope user) or revokeUserSession() (scope session).',
    unit: '{session}',
  });
  const userSessions = meter?.createHistogram('analog_session.user.sessions', {
    description: "Sessions in a user's index when it is listed (listUserSessions, revokeUserSession).",
    unit: '{session}',
    advice: { explicitBucketBoundaries: USER_SESSION_BUCKETS },
  });
  const rejections = meter?.createCounter('analog_session.cookie.rejections', {
    description: 'Presented session cookies that led to a fresh session, by reason.',
    unit: '{cookie}',
  });
  // One attributes object per reason and per backend, so a hot counter allocates nothing.
  const byReason = new Map<CookieRejection, TelemetryAttributes>();
  const byBackend = new Map<string, TelemetryAttributes>();
  const backendAttributes = (backend: string) => {
    let attributes = byBackend.get(backend);
    if (!attributes) byBackend.set(backend, (attributes = { 'analog_session.store.backend': backend }));
    return attributes;
  };

  return {
    observe(backend, operation, method, after) {
      const name = `session.store.${operation}`;
      const attributes: TelemetryAttributes = {
        'analog_session.store.backend': backend.backend,
        'analog_session.store.operation': operation,
      };
      return function observed(...args) {
        const start = performance.now();
        const span = tracer?.startSpan(name, { attributes });
        const done = (value: Awaited<ReturnType<typeof method>>) => {
          after?.(value, span);
          duration?.record((performance.now() - start) / 1000, attributes);
          span?.end();
        };
        const failed = (error: unknown) => {
          const type = errorType(error);
          duration?.record((performance.now() - start) / 1000, { ...attributes, 'error.type': type });
          if (span) {
            span.setAttribute('error.type', type);
            span.recordException(error instanceof Error ? error : String(error));
            span.setStatus({ code: SPAN_STATUS_ERROR, message: error instanceof Error ? error.message : String(error) });
            span.end();
          }
        };
        let result: ReturnType<typeof method>;
        try {
          result = method.apply(backend, args);
        } catch (error) {
          failed(error);
          throw error;
        }
        // The very promise goes back: redis.ts's deadline hand-over (atStoreDeadline) is keyed by it.
        if (isPending(result)) result.then(done as (value: unknown) => void, failed);
        else done(result as Awaited<ReturnType<typeof method>>);
        return result;
      };
    },
    cookieRejected(reason) {
      let attributes = byReason.get(reason);
      if (!attributes) byReason.set(reason, (attributes = { 'analog_session.cookie.reason': reason }));
      rejections?.add(1, attributes);
    },
    storeTimedOut(backend, operation) {
      timeouts?.add(1, { 'analog_session.store.backend': backend, 'analog_session.caller': operation });
    },
    writeRetried(backend) {
      retries?.add(1, backendAttributes(backend));
    },
    conflicts,
    revocations,
    userSessions,
    backendAttributes,
  };
}

/** What an error is, for `error.type`: a SessionError's code, else the error's name. */
function errorType(error: unknown): string {
  if (isSessionError(error)) return error.code;
  return error instanceof Error ? error.name : typeof error;
}

/**
 * `backend` with every store operation in a span and measured, or `backend` itself when there is no telemetry.
 * The view shares the backend's locks, caches and prune clock: configs with different telemetry on one Storage
 * still serialize their writes through one lock per session.
 */
export function observeBackend(backend: SessionBackend, telemetry: StoreTelemetry | undefined): SessionBackend {
  if (!telemetry) return backend;
  const { conflicts, revocations, userSessions, backendAttributes } = telemetry;
  const ofBackend = backendAttributes(backend.backend);
  const userScope = { ...ofBackend, 'analog_session.revocation.scope': 'user' };
  const sessionScope = { ...ofBackend, 'analog_session.revocation.scope': 'session' };
  const observe = telemetry.observe.bind(telemetry);
  const observed: SessionBackend = {
    backend: backend.backend,
    nativeTtl: backend.nativeTtl,
    hashTags: backend.hashTags,
    locks: backend.locks,
    records: backend.records,
    handoffs: backend.handoffs,
    adoptions: backend.adoptions,
    get lastPrune() {
      return backend.lastPrune;
    },
    set lastPrune(at) {
      backend.lastPrune = at;
    },
    events: backend.events,
    memberName: backend.memberName.bind(backend),
    telemetry,
    get: observe(backend, 'get', backend.get, (raw, span) => span?.setAttribute('analog_session.store.hit', raw != null)),
    create: observe(backend, 'create', backend.create),
    compareAndSet: observe(backend, 'compare_and_set', backend.compareAndSet, (result: WriteResult, span) => {
      span?.setAttribute('analog_session.store.result', result.status);
      if (result.status === 'conflict') conflicts?.add(1, ofBackend);
    }),
    remove: observe(backend, 'remove', backend.remove),
    removeIfVersion: observe(backend, 'remove_if_version', backend.removeIfVersion),
    revokeUser: observe(backend, 'revoke_user', backend.revokeUser, (revoked, span) => {
      span?.setAttribute('analog_session.revoked', revoked.length);
      revocations?.add(revoked.length, userScope);
    }),
    listUser: observe(backend, 'list_user', backend.listUser, (members, span) => {
      const live = members.reduce((n, member) => (member.raw == null ? n : n + 1), 0);
      span?.setAttribute('analog_session.user.sessions', live);
      userSessions?.record(live, ofBackend);
    }),
    removeMember: observe(backend, 'remove_member', backend.removeMember, (removed, span) => {
      span?.setAttribute('analog_session.revoked', removed ? 1 : 0);
      if (removed) revocations?.add(1, sessionScope);
    }),
  };
  // The sweep (pruneExpiredSessions) works on the Storage's own backend, in the background: not observed.
  if (backend.pruneUserSet) observed.pruneUserSet = backend.pruneUserSet.bind(backend);
  return observed;
}
