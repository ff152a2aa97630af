import { HttpInterceptorFn, provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import { REQUEST, inject } from '@angular/core';
import { requestContextInterceptor } from '@analogjs/router';
import { injectBaseURL, injectRequest } from '@analogjs/router/tokens';
import {
  type ServerCookieForwardingOptions,
  type SessionFeature,
  sessionCookieForwardingInterceptor,
  sessionUnauthorizedInterceptor,
  sessionXsrfInterceptor,
  withServerCookieForwarding,
} from '@analog-tools/session-angular';

/** Options of `withAnalog()`. */
export interface AnalogSessionOptions {
  /**
   * The app's own HTTP interceptors. They run after the session ones and before Analog's
   * `requestContextInterceptor`, so the calls it answers in-process during server rendering pass them too.
   * @default []
   */
  interceptors?: HttpInterceptorFn[];
  /**
   * Which outgoing requests get the visitor's cookie during server rendering.
   * @default same-origin URLs (relative ones and absolute ones on Analog's `BASE_URL`) and the summary and logout URLs
   */
  shouldForward?: ServerCookieForwardingOptions['shouldForward'];
}

/**
 * Sets up an Analog app in one call: `HttpClient` with `withFetch()` and the interceptors in the one order that
 * works (the session ones, yours, then Analog's `requestContextInterceptor`, which answers server-side calls
 * in-process without calling the interceptors after it), and cookie forwarding from the incoming request
 * to relative URLs and absolute ones on Analog's `BASE_URL` (page server loads, `injectBaseURL()`). The incoming
 * request is Angular's `REQUEST` (a Fetch `Request`) where something provides it, else Analog's `injectRequest()`.
 *
 * It REPLACES the `provideHttpClient(withFetch(), withInterceptors([requestContextInterceptor]))` line of
 * Analog's template. Kept, that line must come after `provideSession(withAnalog())`; listed before it, server
 * renders fail their summary read with a message naming this fix.
 *
 * ```ts
 * import { provideSession } from '@analog-tools/session-angular';
 * import { withAnalog } from '@analog-tools/session-angular/analog';
 *
 * export const appConfig: ApplicationConfig = {
 *   providers: [provideFileRouter(), provideClientHydration(withEventReplay()), provideSession(withAnalog())],
 * };
 * ```
 */
export function withAnalog(options: AnalogSessionOptions = {}): SessionFeature<'analog'> {
  const { interceptors = [], shouldForward } = options;
  return {
    kind: 'analog',
    providers: [
      provideHttpClient(
        withFetch(),
        withInterceptors([
          sessionUnauthorizedInterceptor,
          sessionCookieForwardingInterceptor,
          sessionXsrfInterceptor,
          ...interceptors,
          requestContextInterceptor,
        ]),
      ),
      ...withServerCookieForwarding({ request: incomingRequest, origin: injectBaseURL, shouldForward }).providers,
    ],
  };
}

// Angular's own token first: a Fetch `Request` whose headers survive copying, unlike the Node request that Analog's
// Nitro 3 renderer spreads into a plain object before `injectRequest()` returns it.
function incomingRequest() {
  return inject(REQUEST, { optional: true }) ?? injectRequest();
}
