// src/app/pages/account.page.ts: only for signed-in users, rendered on the server with their data
import type { RouteMeta } from '@analogjs/router';
import { Component } from '@angular/core';
import { injectSession, sessionGuard } from '@analog-tools/session-angular';

export const routeMeta: RouteMeta = {
  canActivate: [sessionGuard()], // anonymous visitors go to /login
};

@Component({
  template: `
    <h1>Your account</h1>
    <p>
      You are <strong>{{ session.user()?.name }}</strong> (user {{ session.user()?.id }}).
    </p>
  `,
})
export default class AccountPage {
  protected readonly session = injectSession();
}
