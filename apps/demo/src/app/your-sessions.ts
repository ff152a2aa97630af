import { DatePipe } from '@angular/common';
import { HttpClient, HttpErrorResponse, httpResource } from '@angular/common/http';
import { ChangeDetectionStrategy, Component, computed, type ElementRef, inject, signal, viewChild } from '@angular/core';
import { Router } from '@angular/router';
import { SessionService } from '@analog-tools/session-angular';
import { firstValueFrom } from 'rxjs';

/** One row of GET /api/sessions. The handle names a session for revoking; it is not the session ID. */
interface SessionListItem {
  handle: string;
  label: string | null;
  createdAt: number;
  lastSeenAt: number;
  current: boolean;
}

/**
 * "Your sessions" on the account page: every browser signed in as this user, this one first, with "Sign out" on
 * each other one and "Sign out everywhere else". Server-rendered (the list travels in the page through
 * TransferState, so hydration sends no request); after a sign-out the list is fetched again.
 */
@Component({
  selector: 'demo-your-sessions',
  imports: [DatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card" aria-labelledby="your-sessions-title">
      <h2 id="your-sessions-title" tabindex="-1" #heading>Your sessions</h2>
      <p class="muted">Every browser signed in to your account. Sign out any you do not recognise.</p>

      @if (sessions.value(); as list) {
        <ul class="session-list">
          @for (item of list; track item.handle) {
            <li class="session-item">
              <div>
                <p class="session-item__label" [id]="'session-label-' + item.handle">
                  {{ item.label ?? 'Unknown device' }}
                  @if (item.current) {
                    <span class="badge badge--ok">This device</span>
                  }
                </p>
                <p class="muted session-item__times" [id]="'session-times-' + item.handle">
                  Signed in
                  <time [attr.datetime]="item.createdAt | date: 'yyyy-MM-ddTHH:mm:ssZ'">{{ item.createdAt | date: 'medium' }}</time>, last
                  seen <time [attr.datetime]="item.lastSeenAt | date: 'yyyy-MM-ddTHH:mm:ssZ'">{{ item.lastSeenAt | date: 'medium' }}</time>
                </p>
              </div>
              @if (!item.current) {
                <button
                  class="button button--danger button--small"
                  type="button"
                  (click)="revoke(item)"
                  [disabled]="busy() !== null"
                  [attr.aria-describedby]="'session-label-' + item.handle + ' session-times-' + item.handle"
                >
                  Sign out
                </button>
              }
            </li>
          }
        </ul>
        @if (hasOthers()) {
          <button class="button button--danger" type="button" (click)="revokeOthers()" [disabled]="busy() !== null">
            Sign out everywhere else
          </button>
        }
      } @else if (sessions.error()) {
        <p role="alert">Your sessions could not be loaded.</p>
      } @else {
        <p class="muted">Loading your sessions…</p>
      }
      <p class="notice" role="status" aria-live="polite">{{ notice() }}</p>
    </section>
  `,
})
export class YourSessions {
  private readonly http = inject(HttpClient);
  private readonly session = inject(SessionService);
  private readonly router = inject(Router);
  private readonly heading = viewChild.required<ElementRef<HTMLElement>>('heading');

  protected readonly sessions = httpResource<SessionListItem[]>(() => '/api/sessions');
  protected readonly hasOthers = computed(() => (this.sessions.value() ?? []).some((item) => !item.current));
  /** The handle being signed out, 'others' for "everywhere else", or null. */
  protected readonly busy = signal<string | null>(null);
  protected readonly notice = signal('');

  protected async revoke(item: SessionListItem): Promise<void> {
    const label = item.label ?? 'Unknown device';
    await this.run(item.handle, async () => {
      await firstValueFrom(this.http.post('/api/sessions/revoke', { handle: item.handle }));
      return `Signed out ${label}.`;
    });
  }

  /**
   * Needs a sign-in within the last 5 minutes (the server's requireFreshSession): an older one answers 401
   * `STALE_SESSION`, and the login page asks the user to sign in again, then brings them back here.
   */
  protected async revokeOthers(): Promise<void> {
    await this.run('others', async () => {
      try {
        const { revoked } = await firstValueFrom(this.http.post<{ revoked: number }>('/api/sessions/revoke-others', null));
        return revoked === 1 ? 'Signed out 1 other session.' : `Signed out ${revoked} other sessions.`;
      } catch (error) {
        if (!isStale(error)) throw error;
        await this.router.navigate(['/login'], { queryParams: { reauthenticate: 1, returnUrl: this.router.url } });
        return 'Sign in again to sign out your other sessions.';
      }
    });
  }

  private async run(busy: string, work: () => Promise<string>): Promise<void> {
    this.busy.set(busy);
    this.notice.set('');
    try {
      this.notice.set(await work());
    } catch (error) {
      if (error instanceof HttpErrorResponse && error.status === 404) {
        this.notice.set('That session had already ended.');
      } else {
        this.notice.set('That did not work. Your session may have ended; reload the page to check.');
        // Signed out meanwhile: the session status turns anonymous and the account page leaves.
        void this.session.refresh();
      }
    } finally {
      this.busy.set(null);
      this.sessions.reload();
      // The button that had focus is gone with its row: keep keyboard users in the section.
      this.heading().nativeElement.focus();
    }
  }
}

/** The server's answer to a sensitive action whose sign-in is too old (requireFreshSession). */
function isStale(error: unknown): boolean {
  return error instanceof HttpErrorResponse && error.status === 401 && error.error?.data?.code === 'STALE_SESSION';
}
