import type { RouteMeta } from '@analogjs/router';
import { DatePipe } from '@angular/common';
import { HttpClient, httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, effect, inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { SessionLifecycle, SessionService, sessionGuard } from '@analog-tools/session-angular';
import { firstValueFrom } from 'rxjs';
import { YourSessions } from '../your-sessions';

export const routeMeta: RouteMeta = {
  title: 'Your account · analog-tools session',
  // A session that expires or is ended while this page is open lands on /login?returnUrl=%2Faccount too.
  canActivate: [sessionGuard({ redirectTo: '/login', returnUrlParam: 'returnUrl' })],
};

/** GET /api/account: private data that never goes into the public session summary. */
interface AccountData {
  name: string;
  loginAt: number | null;
  visits: number;
}

type Busy = 'visit' | 'regenerate' | 'logout' | null;

/** The signed-in user's page: data kept in the session, the three session actions, and the user's sessions. */
@Component({
  imports: [DatePipe, YourSessions],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="page-header">
      <p class="eyebrow">Protected by <code>sessionGuard()</code></p>
      <h1>Your account</h1>
    </header>

    @if (account.value(); as data) {
      <section class="card" aria-labelledby="session-data-title">
        <h2 id="session-data-title">Stored in your session</h2>
        <dl class="facts">
          <div>
            <dt id="fact-name">Name</dt>
            <dd aria-labelledby="fact-name">{{ data.name }}</dd>
          </div>
          <div>
            <dt id="fact-started">Session started</dt>
            <dd aria-labelledby="fact-started">
              @if (data.loginAt) {
                <time [attr.datetime]="data.loginAt | date: 'yyyy-MM-ddTHH:mm:ssZ'">{{ data.loginAt | date: 'medium' }}</time>
              } @else {
                Unknown
              }
            </dd>
          </div>
          <div>
            <dt id="fact-visits">Visits counted</dt>
            <dd aria-labelledby="fact-visits">{{ data.visits }}</dd>
          </div>
          <div>
            <dt id="fact-idle">Signed out if inactive until</dt>
            <!-- The same element on the server and in the browser: only the browser knows the instant on its clock. -->
            <dd aria-labelledby="fact-idle" data-testid="idle-expiry">
              {{ lifecycle.expiresAt() === null ? 'Not known yet' : (lifecycle.expiresAt() | date: 'medium') }}
            </dd>
          </div>
        </dl>
      </section>

      <section class="card" aria-labelledby="actions-title">
        <h2 id="actions-title">Session actions</h2>
        <div class="actions">
          <div class="action">
            <button class="button" type="button" (click)="countVisit()" [disabled]="busy() !== null">Count a visit</button>
            <p class="muted">Writes to the session on the server and returns the new count.</p>
          </div>
          <div class="action">
            <button class="button button--secondary" type="button" (click)="regenerate()" [disabled]="busy() !== null">
              Regenerate session ID
            </button>
            <p class="muted">Moves your data to a new ID; the old cookie stops working.</p>
          </div>
          <div class="action">
            <button class="button button--danger" type="button" (click)="logout()" [disabled]="busy() !== null">Log out</button>
            <p class="muted">Deletes the session from the store and clears the cookie, in every tab.</p>
          </div>
        </div>
        <p class="notice" role="status" aria-live="polite">{{ notice() }}</p>
      </section>

      <demo-your-sessions />
    } @else if (account.error()) {
      <div class="card">
        <p role="alert">Your account could not be loaded.</p>
      </div>
    } @else {
      <p class="muted" role="status">Loading your account…</p>
    }
  `,
})
export default class AccountPage {
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);
  protected readonly session = inject(SessionService);
  protected readonly lifecycle = inject(SessionLifecycle);

  protected readonly account = httpResource<AccountData>(() => '/api/account');
  protected readonly busy = signal<Busy>(null);
  protected readonly notice = signal('');

  constructor() {
    // Logged out in another tab, or found expired by a summary read: leave the private page at once. A session the
    // server ended (endedReason set) is taken to the login page by the session guard's redirect, return URL included.
    effect(() => {
      if (this.session.status() === 'anonymous' && this.busy() !== 'logout' && this.lifecycle.endedReason() === null) {
        void this.router.navigateByUrl('/login', { replaceUrl: true });
      }
    });
  }

  protected async countVisit(): Promise<void> {
    await this.run('visit', async () => {
      const { visits } = await firstValueFrom(this.http.post<{ visits: number }>('/api/visits', null));
      this.account.update((data) => (data ? { ...data, visits } : data));
      this.notice.set(`Visit counted. The session now holds ${visits}.`);
    });
  }

  protected async regenerate(): Promise<void> {
    await this.run('regenerate', async () => {
      await firstValueFrom(this.http.post('/api/auth/regenerate', null));
      await this.session.refresh();
      this.account.reload();
      this.notice.set('New session ID issued. Your data was kept; the old cookie is no longer valid.');
    });
  }

  protected async logout(): Promise<void> {
    await this.run('logout', async () => {
      await this.session.logout();
      await this.router.navigateByUrl('/login');
    });
  }

  private async run(action: Exclude<Busy, null>, work: () => Promise<void>): Promise<void> {
    this.busy.set(action);
    this.notice.set('');
    try {
      await work();
    } catch {
      this.notice.set('That did not work. Your session may have ended; reload the page to check.');
    } finally {
      this.busy.set(null);
    }
  }
}
