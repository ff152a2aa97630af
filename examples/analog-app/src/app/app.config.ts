// src/app/app.config.ts: provideSession(withAnalog()) in place of the template's provideHttpClient(...) line
import { provideFileRouter } from '@analogjs/router';
import type { ApplicationConfig } from '@angular/core';
import { provideClientHydration } from '@angular/platform-browser';
import { provideSession } from '@analog-tools/session-angular';
import { withAnalog } from '@analog-tools/session-angular/analog';

export const appConfig: ApplicationConfig = {
  providers: [provideFileRouter(), provideClientHydration(), provideSession(withAnalog())],
};
