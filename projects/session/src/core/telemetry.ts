// What the session code reports to OpenTelemetry, as core sees it: the shapes of a tracer and a meter (structural,
// so that core and the published types need no `@opentelemetry/api`) and the few events only core witnesses.
// The spans and metrics themselves are made in stores/telemetry.ts, which loads the API only when it is installed.

/** Attributes of a span or a measurement, as `@opentelemetry/api`'s `Attributes` (flat values only here). */
export type TelemetryAttributes = Record<string, string | number | boolean>;

/** The part of an OpenTelemetry `Span` the session uses. */
export interface TelemetrySpan {
  setAttribute(key: string, value: string | number | boolean): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  recordException(exception: any): unknown;
  end(): void;
}

/** The part of an OpenTelemetry `Tracer` the session uses: any `Tracer` of `@opentelemetry/api` 1.x fits. */
export interface TelemetryTracer {
  startSpan(name: string, options?: { kind?: number; attributes?: TelemetryAttributes }): TelemetrySpan;
}

/** The part of an OpenTelemetry `Meter` the session uses: any `Meter` of `@opentelemetry/api` 1.x fits. */
export interface TelemetryMeter {
  createHistogram(
    name: string,
    options?: { description?: string; unit?: string; advice?: { explicitBucketBoundaries?: number[] } },
  ): { record(value: number, attributes?: TelemetryAttributes): void };
  createCounter(
    name: string,
    options?: { description?: string; unit?: string },
  ): { add(value: number, attributes?: TelemetryAttributes): void };
}

/**
 * Where the session sends its spans and metrics (the `telemetry` option). A missing `tracer` or `meter` is taken
 * from `@opentelemetry/api`'s global providers (`trace.getTracer`, `metrics.getMeter`) when that package is installed.
 */
export interface TelemetryOptions {
  /** @default trace.getTracer('@analog-tools/session') of the installed `@opentelemetry/api` */
  tracer?: TelemetryTracer;
  /** @default metrics.getMeter('@analog-tools/session') of the installed `@opentelemetry/api` */
  meter?: TelemetryMeter;
}

/**
 * Why a presented session cookie led to a fresh session: `malformed` (not a signed session cookie), `oversized`
 * (longer than any cookie this library sets), `tampered` (its signature matches no secret), `unknown` (signed, but
 * no record: revoked, destroyed or swept), `expired` (its record expired), `moved` (its session moved to a new ID,
 * by a login or regenerateSession, within the last minute).
 */
export type CookieRejection = 'malformed' | 'oversized' | 'tampered' | 'unknown' | 'expired' | 'moved';

/** The telemetry events core reports itself; stores/telemetry.ts implements them. */
export interface SessionTelemetry {
  /** A presented cookie was refused. */
  cookieRejected(reason: CookieRejection): void;
  /** A store call (`operation`, as named in the STORAGE_ERROR message) did not answer within config.timeout. */
  storeTimedOut(backend: string, operation: string): void;
  /** A write tries its compare-and-set again, on a newer record, after a conflict. */
  writeRetried(backend: string): void;
}
