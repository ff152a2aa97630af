import { provideFileRouter } from '@analogjs/router';
import { provideBrowserGlobalErrorListeners, provideZonelessChangeDetection, type ApplicationConfig } from '@angular/core';
import { provideClientHydration, withEventReplay } from '@angular/platform-browser';
import { withComponentInputBinding, withInMemoryScrolling } from '@angular/router';
import { provideSession } from '@analog-tools/session-angular';
import { withAnalog } from '@analog-tools/session-angular/analog';

export const appConfig: ApplicationConfig = {
  providers: [
    provideZonelessChangeDetection(),
    provideBrowserGlobalErrorListeners(),
    provideFileRouter(withComponentInputBinding(), withInMemoryScrolling({ scrollPositionRestoration: 'top' })),
    provideClientHydration(withEventReplay()),
    // HttpClient (withFetch, the session interceptors before Analog's requestContextInterceptor) and the
    // server-side cookie forwarding: in place of the template's provideHttpClient(...) line.
    provideSession(withAnalog()),
  ],
};
