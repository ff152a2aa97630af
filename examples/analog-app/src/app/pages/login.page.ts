// src/app/pages/login.page.ts: posts the credentials, then reads the new session
// method="post": a click before the app hydrates sends the form itself, and a POST keeps the password out of URLs.
import { HttpClient } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router } from '@angular/router';
import { injectSession } from '@analog-tools/session-angular';
import { firstValueFrom } from 'rxjs';

@Component({
  imports: [FormsModule],
  template: `
    <h1>Log in</h1>
    <form method="post" (ngSubmit)="logIn()">
      <label>Username <input name="username" autocomplete="username" required [(ngModel)]="username" /></label>
      <label>Password <input name="password" type="password" autocomplete="current-password" required [(ngModel)]="password" /></label>
      <button type="submit">Log in</button>
      @if (failed()) {
        <p role="alert">Wrong username or password.</p>
      }
    </form>
  `,
})
export default class LoginPage {
  private readonly http = inject(HttpClient);
  private readonly router = inject(Router);
  private readonly session = injectSession();
  protected username = '';
  protected password = '';
  protected readonly failed = signal(false);

  protected async logIn(): Promise<void> {
    try {
      await firstValueFrom(this.http.post('/api/auth/login', { username: this.username, password: this.password }));
    } catch {
      this.failed.set(true);
      return;
    }
    await this.session.refresh();
    await this.router.navigateByUrl('/account');
  }
}
