// src/app/app.config.ts
import { provideFileRouter, requestContextInterceptor } from '@analogjs/router';
import { injectRequest } from '@analogjs/router/tokens';
import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import type { ApplicationConfig } from '@angular/core';
import { provideClientHydration } from '@angular/platform-browser';
import {
  provideSession,
  sessionCookieForwardingInterceptor,
  withServerCookieForwarding,
} from '@analog-tools/session-angular';

export const appConfig: ApplicationConfig = {
  providers: [
    provideFileRouter(),
    provideHttpClient(withFetch(), withInterceptors([sessionCookieForwardingInterceptor, requestContextInterceptor])),
    provideClientHydration(),
    provideSession(withServerCookieForwarding({ request: injectRequest })),
  ],
};
