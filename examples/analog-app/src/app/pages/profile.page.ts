// src/app/pages/profile.page.ts: shows what profile.server.ts loaded
import { injectLoad } from '@analogjs/router';
import { Component } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import type { load } from './profile.server';

@Component({
  template: `
    <h1>Profile</h1>
    @if (data().name; as name) {
      <p>
        Loaded on the server for <strong>{{ name }}</strong>.
      </p>
    } @else {
      <p>Loaded on the server for an anonymous visitor.</p>
    }
  `,
})
export default class ProfilePage {
  protected readonly data = toSignal(injectLoad<typeof load>(), { requireSync: true });
}
