// src/app/app.config.ts (angular@22): Analog's Angular 22 template (zoneless, event replay) with provideSession(withAnalog())
import { provideFileRouter } from '@analogjs/router';
import { type ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideClientHydration, withEventReplay } from '@angular/platform-browser';
import { provideSession } from '@analog-tools/session-angular';
import { withAnalog } from '@analog-tools/session-angular/analog';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideFileRouter(),
    provideClientHydration(withEventReplay()),
    provideSession(withAnalog()),
  ],
};
