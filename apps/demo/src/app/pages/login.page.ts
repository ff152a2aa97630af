import type { RouteMeta } from '@analogjs/router';
import { DOCUMENT, isPlatformBrowser } from '@angular/common';
import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  afterNextRender,
  computed,
  inject,
  input,
  signal,
  viewChild,
  Injector,
  OnInit,
  PLATFORM_ID,
} from '@angular/core';
import { EventPhase } from '@angular/core/primitives/event-dispatch';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { SessionService } from '@analog-tools/session-angular';
import { firstValueFrom } from 'rxjs';

export const routeMeta: RouteMeta = {
  title: 'Log in · analog-tools session',
};

const LOGIN_FAILED = 'That username and password do not match a demo account.';
const TOO_MANY = 'Too many login attempts. Wait a few minutes and try again.';
const TOO_MANY_SESSIONS = 'You are already signed in on as many devices as allowed. Sign out on one of them, then log in here again.';

/**
 * Reads what the visitor (or a password manager) typed into the server-rendered fields before the form
 * took them over. Hydration writes the form's value into the fields on the page's first change detection,
 * which comes a frame after the page is created and also wipes input that arrives in between (early event
 * replay then re-reads the emptied field). Reading in ngOnInit, in the same synchronous pass as that
 * write, closes the window.
 */
function typedBeforeHydration(document: Document, id: 'username' | 'password'): string {
  const field = document.getElementById(id);
  return field instanceof HTMLInputElement ? field.value : '';
}

/** The message for the server's `?error=` after a form posted without JavaScript. */
function paramFailure(param: string): string {
  return param === 'limited' ? TOO_MANY : param === 'sessions' ? TOO_MANY_SESSIONS : LOGIN_FAILED;
}

/** What to tell the visitor when the login request failed; 429 and 503 carry `Retry-After` (seconds). */
function loginFailure(error: unknown): string {
  if (error instanceof HttpErrorResponse && error.status === 401) return LOGIN_FAILED;
  // 409: SESSION_LIMIT_POLICY=deny-new and the account is at its SESSION_MAX_PER_USER sessions.
  if (error instanceof HttpErrorResponse && error.status === 409) return TOO_MANY_SESSIONS;
  if (error instanceof HttpErrorResponse && (error.status === 429 || error.status === 503)) {
    const seconds = Number(error.headers.get('retry-after'));
    return Number.isInteger(seconds) && seconds > 0
      ? `Too many login attempts. Try again in ${seconds} second${seconds === 1 ? '' : 's'}.`
      : TOO_MANY;
  }
  return 'Logging in failed. Check your connection and try again.';
}

/** `url` when it is a path on this site (`/account`), never another host (`//evil.example`, `/\\evil.example`). */
function pathOnThisSite(url: string | undefined): string | undefined {
  return url && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/\\') ? url : undefined;
}

/** Login form. Works without JavaScript too: the form then posts to the API, which redirects back. */
@Component({
  imports: [ReactiveFormsModule, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="auth-layout">
      <section class="card auth-card" aria-labelledby="login-title">
        <h1 id="login-title">Log in</h1>
        @if (reauthenticating()) {
          <p class="notice" role="status">For your security, sign in again to continue.</p>
        }
        @if (session.isAuthenticated() && !reauthenticating()) {
          <p>
            You are already signed in as <strong>{{ session.user()?.name }}</strong>.
          </p>
          <a class="button" routerLink="/account">Go to your account</a>
        } @else {
          <p class="muted">Use one of the demo accounts listed on this page.</p>

          <div class="alert" role="alert" [hidden]="!error()">{{ error() }}</div>

          <form
            [formGroup]="form"
            (ngSubmit)="submit($event)"
            method="post"
            action="/api/auth/login"
            novalidate
            [attr.aria-busy]="pending()"
          >
            <div class="field">
              <label for="username">Username</label>
              <input
                id="username"
                name="username"
                type="text"
                formControlName="username"
                autocomplete="username"
                autocapitalize="none"
                spellcheck="false"
                required
                [attr.aria-invalid]="showError('username')"
                [attr.aria-describedby]="showError('username') ? 'username-error' : null"
              />
              @if (showError('username')) {
                <p class="field__error" id="username-error">Enter your username.</p>
              }
            </div>
            <div class="field">
              <label for="password">Password</label>
              <input
                #password
                id="password"
                name="password"
                type="password"
                formControlName="password"
                autocomplete="current-password"
                required
                [attr.aria-invalid]="showError('password')"
                [attr.aria-describedby]="showError('password') ? 'password-error' : null"
              />
              @if (showError('password')) {
                <p class="field__error" id="password-error">Enter your password.</p>
              }
            </div>
            <div class="field field--checkbox">
              <input
                id="remember"
                name="remember"
                type="checkbox"
                value="true"
                formControlName="remember"
                aria-describedby="remember-hint"
              />
              <label for="remember">Remember me on this device</label>
              <p class="muted" id="remember-hint">Otherwise the session ends when you close the browser.</p>
            </div>
            <button class="button button--block" type="submit" [disabled]="pending()">
              {{ pending() ? 'Logging in…' : 'Log in' }}
            </button>
          </form>
        }
      </section>

      <aside class="card demo-accounts" aria-labelledby="accounts-title">
        <h2 id="accounts-title">Demo accounts</h2>
        <dl>
          <div>
            <dt>ada</dt>
            <dd>lovelace-demo</dd>
          </div>
          <div>
            <dt>grace</dt>
            <dd>hopper-demo</dd>
          </div>
        </dl>
        <p class="muted">Passwords are checked against scrypt hashes. A successful login issues a brand-new session ID.</p>
      </aside>
    </div>
  `,
  styles: `
    .field--checkbox {
      display: grid;
      grid-template-columns: auto 1fr;
      align-items: center;
      column-gap: 0.5rem;
    }
    .field--checkbox input {
      width: 1.25rem;
      min-height: 1.25rem;
      margin: 0;
    }
    .field--checkbox label {
      margin: 0;
    }
    .field--checkbox p {
      grid-column: 2;
      margin: 0.2rem 0 0;
      font-size: 0.9rem;
    }
  `,
})
export default class LoginPage implements OnInit {
  protected readonly session = inject(SessionService);
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);
  private readonly injector = inject(Injector);
  private readonly document = inject(DOCUMENT);
  private readonly isBrowser = isPlatformBrowser(inject(PLATFORM_ID));

  /**
   * Set by the server when a form posted without JavaScript was refused: `?error=1` for wrong credentials,
   * `?error=limited` when too many attempts failed (429) or too many logins were being checked (503),
   * `?error=sessions` when the account is at its session limit (409, SESSION_LIMIT_POLICY=deny-new).
   */
  readonly errorParam = input<string | undefined>(undefined, { alias: 'error' });
  /** `?reauthenticate=1`: a sensitive action needs a recent sign-in (requireFreshSession), so the form shows even when signed in. */
  readonly reauthenticate = input<string | undefined>(undefined);
  /** `?returnUrl=/path`: where to go after signing in, a path on this site only (never `//host`). */
  readonly returnUrl = input<string | undefined>(undefined);
  protected readonly reauthenticating = computed(() => this.reauthenticate() !== undefined);

  protected readonly form = inject(NonNullableFormBuilder).group({
    username: ['', Validators.required],
    password: ['', Validators.required],
    remember: [false],
  });
  protected readonly pending = signal(false);
  protected readonly submitted = signal(false);
  private readonly failure = signal<string | null>(null);
  protected readonly error = computed(() => {
    const param = this.submitted() ? undefined : this.errorParam();
    return this.failure() ?? (param ? paramFailure(param) : null);
  });

  private readonly passwordInput = viewChild<ElementRef<HTMLInputElement>>('password');

  ngOnInit(): void {
    if (!this.isBrowser) return;
    for (const name of ['username', 'password'] as const) {
      const typed = typedBeforeHydration(this.document, name);
      if (typed) this.form.controls[name].setValue(typed);
    }
  }

  protected showError(name: 'username' | 'password'): boolean {
    return this.submitted() && this.form.controls[name].invalid;
  }

  protected async submit(event?: Event): Promise<void> {
    // Sent before the app hydrated: the browser is already posting the form (the server then redirects), and
    // event replay hands the same submit over again. Sending it a second time would sign in twice, and the
    // second login's new ID replaces the first one, whose cookie the redirected page may already carry.
    if (event?.eventPhase === EventPhase.REPLAY || this.pending()) return;
    this.submitted.set(true);
    this.failure.set(null);
    if (this.form.invalid) {
      this.focusFirstInvalid();
      return;
    }

    this.pending.set(true);
    const credentials = this.form.getRawValue();
    this.form.disable();
    try {
      await firstValueFrom(this.http.post('/api/auth/login', credentials));
      await this.session.refresh();
      await this.router.navigateByUrl(pathOnThisSite(this.returnUrl()) ?? '/account');
    } catch (error) {
      this.form.enable();
      this.form.controls.password.reset();
      this.submitted.set(false);
      this.failure.set(loginFailure(error));
      afterNextRender(() => this.passwordInput()?.nativeElement.focus(), { injector: this.injector });
    } finally {
      this.pending.set(false);
    }
  }

  private focusFirstInvalid(): void {
    const first = this.form.controls.username.invalid ? 'username' : 'password';
    afterNextRender(() => this.document.getElementById(first)?.focus(), { injector: this.injector });
  }
}
