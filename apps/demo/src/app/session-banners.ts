import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, linkedSignal } from '@angular/core';
import { SessionLifecycle } from '@analog-tools/session-angular';

/** What the server's reasons mean to the visitor; an app's own reason gets the generic sentence. */
const ENDED_MESSAGES: Record<string, string> = {
  'signed-out-elsewhere': 'You were signed out from another tab or device.',
  revoked: 'You were signed out: this session was signed out from another device.',
  expired: 'You were signed out after a period of inactivity.',
  evicted: 'You were signed out because your account signed in on more devices than allowed.',
  'password-changed': 'You were signed out because your password was changed.',
};

/**
 * Under the header: why this tab was signed out (the session ended on the server while the page was open), and a
 * notice before the session's absolute end, which nothing extends.
 */
@Component({
  selector: 'demo-session-banners',
  imports: [DatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (endedMessage(); as message) {
      <div class="session-banner session-banner--ended" role="alert">
        <p>{{ message }} Log in again to continue.</p>
        <button class="button button--small button--secondary" type="button" (click)="dismissed.set(true)">Dismiss</button>
      </div>
    }
    @if (lifecycle.absoluteNotice()) {
      <div class="session-banner" role="status">
        <p>
          For your security this session ends at
          <time [attr.datetime]="lifecycle.absoluteExpiresAt() | date: 'yyyy-MM-ddTHH:mm:ssZ'">{{
            lifecycle.absoluteExpiresAt() | date: 'shortTime'
          }}</time>
          however active you are. Save your work; you will need to log in again.
        </p>
      </div>
    }
  `,
  styles: `
    .session-banner {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 0.75rem;
      margin-top: 1rem;
      padding: 0.75rem 1rem;
      border: 1px solid var(--brand);
      border-radius: 8px;
      background: var(--brand-soft);
    }
    .session-banner p {
      margin: 0;
    }
    .session-banner--ended {
      border-color: var(--danger);
      background: var(--danger-soft);
    }
  `,
})
export class SessionBanners {
  protected readonly lifecycle = inject(SessionLifecycle);
  /** Hidden by the visitor; shown again for the next ending. */
  protected readonly dismissed = linkedSignal({ source: this.lifecycle.endedReason, computation: () => false });
  protected readonly endedMessage = computed(() => {
    const reason = this.lifecycle.endedReason();
    if (reason === null || this.dismissed()) return null;
    return ENDED_MESSAGES[reason] ?? 'You were signed out by the server.';
  });
}
