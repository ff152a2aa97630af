import { provideFileRouter } from '@analogjs/router';
import { provideBrowserGlobalErrorListeners, provideZonelessChangeDetection, type ApplicationConfig } from '@angular/core';
import { provideClientHydration, withEventReplay } from '@angular/platform-browser';
import { withComponentInputBinding, withInMemoryScrolling } from '@angular/router';
import { provideSession, withIdleTimeout, withSessionEvents } from '@analog-tools/session-angular';
import { withAnalog } from '@analog-tools/session-angular/analog';

export const appConfig: ApplicationConfig = {
  providers: [
    provideZonelessChangeDetection(),
    provideBrowserGlobalErrorListeners(),
    provideFileRouter(withComponentInputBinding(), withInMemoryScrolling({ scrollPositionRestoration: 'top' })),
    provideClientHydration(withEventReplay()),
    // HttpClient (withFetch, the session interceptors before Analog's requestContextInterceptor) and the
    // server-side cookie forwarding: in place of the template's provideHttpClient(...) line. In the browser: a
    // warning a minute before the server's idle expiry, activity in any tab keeping the session alive (one
    // keep-alive a minute at most), and session ends pushed by the server (sign-out elsewhere, revocation).
    provideSession(
      withAnalog(),
      withIdleTimeout({ warnBefore: 60_000, touchAfter: 60_000 }),
      withSessionEvents({ url: '/api/auth/session-events' }),
    ),
  ],
};
