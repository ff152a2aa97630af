import { provideFileRouter, requestContextInterceptor } from '@analogjs/router';
import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import {
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
  type ApplicationConfig,
} from '@angular/core';
import { provideClientHydration, withEventReplay } from '@angular/platform-browser';
import { withComponentInputBinding, withInMemoryScrolling } from '@angular/router';
import { injectRequest } from '@analogjs/router/tokens';
import {
  provideSession,
  sessionCookieForwardingInterceptor,
  sessionUnauthorizedInterceptor,
  withCrossTabSync,
  withRefreshOnFocus,
  withServerCookieForwarding,
} from '@analog-tools/session-angular';

export const appConfig: ApplicationConfig = {
  providers: [
    provideZonelessChangeDetection(),
    provideBrowserGlobalErrorListeners(),
    provideFileRouter(withComponentInputBinding(), withInMemoryScrolling({ scrollPositionRestoration: 'top' })),
    provideHttpClient(
      withFetch(),
      // Order matters: requestContextInterceptor answers SSR calls in-process without calling `next`,
      // so the browser's cookie must already be on the request when it runs.
      withInterceptors([sessionUnauthorizedInterceptor, sessionCookieForwardingInterceptor, requestContextInterceptor]),
    ),
    provideClientHydration(withEventReplay()),
    provideSession(
      // Analog exposes the incoming request as a Node IncomingMessage, not through Angular's REQUEST token.
      withServerCookieForwarding({ request: injectRequest }),
      withCrossTabSync(),
      withRefreshOnFocus(),
    ),
  ],
};
