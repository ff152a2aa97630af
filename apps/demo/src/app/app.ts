import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { SessionService } from '@analog-tools/session-angular';
import { SessionBanners } from './session-banners';
import { SessionTimeoutDialog } from './session-timeout-dialog';

/**
 * Shell: skip link, header with the live session status, why the session ended (if it did), the page, footer, and
 * the idle warning dialog.
 */
@Component({
  selector: 'demo-root',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, SessionBanners, SessionTimeoutDialog],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a class="skip-link" href="#main">Skip to content</a>
    <header class="site-header">
      <div class="container site-header__inner">
        <a class="brand" routerLink="/">
          <svg class="brand__mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
            <rect width="32" height="32" rx="7" />
            <path d="M10 14v-3a6 6 0 0 1 12 0v3" />
            <rect x="8" y="14" width="16" height="11" rx="2.5" />
          </svg>
          <span>analog-tools <strong>session</strong></span>
        </a>
        <nav class="site-nav" aria-label="Main">
          <ul>
            <li>
              <a routerLink="/" routerLinkActive="is-active" [routerLinkActiveOptions]="{ exact: true }" ariaCurrentWhenActive="page"
                >Home</a
              >
            </li>
            <li>
              <a routerLink="/account" routerLinkActive="is-active" ariaCurrentWhenActive="page">Account</a>
            </li>
          </ul>
        </nav>
        <div class="session-chip" role="status" aria-live="polite" [attr.data-status]="session.status()">
          @switch (session.status()) {
            @case ('authenticated') {
              <span class="avatar" aria-hidden="true">{{ initials() }}</span>
              <span
                >Signed in as <strong>{{ session.user()?.name }}</strong></span
              >
            }
            @case ('anonymous') {
              <span class="dot" aria-hidden="true"></span>
              <span>Not signed in</span>
              <a class="button button--small" routerLink="/login">Log in</a>
            }
            @case ('error') {
              <span>Session unavailable</span>
            }
            @default {
              <span>Checking session…</span>
            }
          }
        </div>
      </div>
    </header>
    <div class="container">
      <demo-session-banners />
    </div>
    <main id="main" class="container" tabindex="-1">
      <router-outlet />
    </main>
    <demo-session-timeout-dialog />
    <footer class="site-footer">
      <div class="container">
        <p>
          Sessions are kept on the server (signed, HttpOnly cookie; data in the store) by
          <code>&#64;analog-tools/session</code>, and shown in Angular by <code>&#64;analog-tools/session-angular</code>.
        </p>
      </div>
    </footer>
  `,
})
export class App {
  protected readonly session = inject(SessionService);

  protected readonly initials = computed(() =>
    String(this.session.user()?.name ?? '')
      .split(/\s+/)
      .filter((part: string) => part.length > 0)
      .slice(0, 2)
      .map((part: string) => part[0].toUpperCase())
      .join(''),
  );
}
