import { DOCUMENT } from '@angular/common';
import { ChangeDetectionStrategy, Component, type ElementRef, afterRenderEffect, computed, inject, signal, viewChild } from '@angular/core';
import { Router } from '@angular/router';
import { SessionLifecycle, SessionService } from '@analog-tools/session-angular';

/**
 * The idle warning: a modal alert dialog while `lifecycle.warning()` is true, with the time left and the two choices.
 * "Stay signed in" (and Escape) extends the session on the server; "Sign out" ends it. Rendered in the browser only
 * (the warning is never on during server rendering). Focus goes to "Stay signed in" and comes back where it was.
 */
@Component({
  selector: 'demo-session-timeout-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (lifecycle.warning()) {
      <dialog
        #dialog
        class="timeout-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="timeout-title"
        aria-describedby="timeout-text"
        (cancel)="stay($event)"
      >
        <h2 id="timeout-title">Are you still there?</h2>
        <p id="timeout-text">
          You have been inactive for a while. For your security you will be signed out in
          <strong class="timeout-dialog__time">{{ timeLeft() }}</strong>.
        </p>
        <div class="timeout-dialog__actions">
          <button class="button" type="button" autofocus (click)="stay()" [disabled]="busy()">Stay signed in</button>
          <button class="button button--secondary" type="button" (click)="signOut()" [disabled]="busy()">Sign out</button>
        </div>
        <p class="notice" role="status">{{ failure() }}</p>
      </dialog>
    }
  `,
  styles: `
    .timeout-dialog {
      max-width: 28rem;
      padding: 1.5rem;
      border: 1px solid var(--border);
      border-radius: var(--radius);
      background: var(--surface);
      color: var(--text);
    }
    .timeout-dialog::backdrop {
      background: rgb(0 0 0 / 45%);
    }
    .timeout-dialog h2 {
      margin-top: 0;
    }
    .timeout-dialog__time {
      font-variant-numeric: tabular-nums;
    }
    .timeout-dialog__actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.75rem;
    }
  `,
})
export class SessionTimeoutDialog {
  protected readonly lifecycle = inject(SessionLifecycle);
  private readonly session = inject(SessionService);
  private readonly router = inject(Router);
  private readonly document = inject(DOCUMENT);
  private readonly dialog = viewChild<ElementRef<HTMLDialogElement>>('dialog');
  protected readonly busy = signal(false);
  protected readonly failure = signal('');
  private returnFocusTo: HTMLElement | null = null;

  /** "1:05": minutes and seconds left, from the countdown (which ticks only while this dialog shows it). */
  protected readonly timeLeft = computed(() => {
    const seconds = this.lifecycle.countdown() ?? 0;
    return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
  });

  constructor() {
    afterRenderEffect(() => {
      const dialog = this.dialog()?.nativeElement;
      if (dialog && !dialog.open) {
        const active = this.document.activeElement;
        this.returnFocusTo = active instanceof HTMLElement ? active : null;
        this.failure.set('');
        dialog.showModal();
      } else if (!dialog && this.returnFocusTo) {
        this.returnFocusTo.focus();
        this.returnFocusTo = null;
      }
    });
  }

  protected async stay(event?: Event): Promise<void> {
    // Escape closes a dialog by itself: keep it until the server said yes; the warning then removes it.
    event?.preventDefault();
    if (this.busy()) return;
    this.busy.set(true);
    try {
      await this.lifecycle.extend();
    } catch {
      this.failure.set('That did not work. Check your connection and try again.');
    } finally {
      this.busy.set(false);
    }
  }

  protected async signOut(): Promise<void> {
    this.busy.set(true);
    try {
      await this.session.logout();
      this.returnFocusTo = null;
      await this.router.navigateByUrl('/login');
    } catch {
      this.failure.set('Signing out did not work. Check your connection and try again.');
    } finally {
      this.busy.set(false);
    }
  }
}
