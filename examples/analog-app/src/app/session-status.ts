// src/app/session-status.ts: the signed-in user, anywhere in the app
import { Component } from '@angular/core';
import { RouterLink } from '@angular/router';
import { injectSession } from '@analog-tools/session-angular';

@Component({
  selector: 'app-session-status',
  imports: [RouterLink],
  template: `
    @switch (session.status()) {
      @case ('authenticated') {
        <p role="status">
          Signed in as <strong>{{ session.user()?.name }}</strong>
        </p>
        <button type="button" (click)="session.logout()">Log out</button>
      }
      @case ('anonymous') {
        <p role="status">Not signed in</p>
        <a routerLink="/login">Log in</a>
      }
      @case ('error') {
        <p role="status">Session unavailable</p>
      }
      @default {
        <p role="status">Checking session…</p>
      }
    }
  `,
})
export class SessionStatus {
  protected readonly session = injectSession();
}
