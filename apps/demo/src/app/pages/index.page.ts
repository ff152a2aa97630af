import type { RouteMeta } from '@analogjs/router';
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { SessionService } from '@analog-tools/session-angular';

export const routeMeta: RouteMeta = {
  title: 'Server-side sessions for Analog · analog-tools session',
};

/** Home: what the kit does, and the visitor's session status. */
@Component({
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="hero" aria-labelledby="hero-title">
      <p class="eyebrow">Open-source · Analog · Angular · h3</p>
      <h1 id="hero-title">Server-side sessions that just work with SSR</h1>
      <p class="lead">
        A signed, HttpOnly cookie carries only an ID; the data stays in a store on the server (files on disk here, Redis in production).
        Angular renders the signed-in page on the server and hydrates it without asking twice.
      </p>
    </section>

    <section class="card status-card" aria-labelledby="status-title" [attr.data-status]="session.status()">
      <h2 id="status-title">Your session</h2>
      @switch (session.status()) {
        @case ('authenticated') {
          <p class="status-line">
            <span class="badge badge--ok">Signed in</span>
            <span
              >You are signed in as <strong>{{ session.user()?.name }}</strong>.</span
            >
          </p>
          <a class="button" routerLink="/account">Go to your account</a>
        }
        @case ('anonymous') {
          <p class="status-line">
            <span class="badge">Anonymous</span>
            <span>You are browsing anonymously. No session cookie has been set: anonymous visits cost no store write.</span>
          </p>
          <a class="button" routerLink="/login">Log in to try it</a>
        }
        @case ('error') {
          <p class="status-line">The session service did not answer. Reload the page to try again.</p>
        }
        @default {
          <p class="status-line">Checking your session…</p>
        }
      }
    </section>

    <section aria-labelledby="features-title">
      <h2 id="features-title">What this demo shows</h2>
      <ul class="feature-grid">
        <li class="card">
          <h3>Signed, HttpOnly cookie</h3>
          <p>The browser holds <code>s:&lt;id&gt;.&lt;signature&gt;</code> and nothing else. A tampered cookie is simply anonymous.</p>
        </li>
        <li class="card">
          <h3>A real store</h3>
          <p>
            Sessions live in files under <code>.data/</code> and survive a restart. Set <code>REDIS_URL</code> to share them between
            servers.
          </p>
        </li>
        <li class="card">
          <h3>SSR without a second request</h3>
          <p>The server forwards your cookie while rendering; the summary travels in the page, so hydration does not fetch it again.</p>
        </li>
        <li class="card">
          <h3>Safe by default</h3>
          <p>A new ID at login and on demand, cross-origin writes refused, private pages never cached, logout synced across tabs.</p>
        </li>
      </ul>
    </section>

    <section class="card try-it" aria-labelledby="try-title">
      <h2 id="try-title">Try it in a minute</h2>
      <ol>
        <li>Log in as <strong>ada</strong> with the password <strong>lovelace-demo</strong>.</li>
        <li>Count a few visits, then regenerate the session ID: your data stays, the cookie changes.</li>
        <li>Open the account page in a second tab and log out in the first one: the second tab follows.</li>
      </ol>
    </section>
  `,
})
export default class HomePage {
  protected readonly session = inject(SessionService);
}
