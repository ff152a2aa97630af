import { Component } from '@angular/core';
import { RouterLink, RouterOutlet } from '@angular/router';
import { SessionStatus } from './session-status';

@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, SessionStatus],
  template: `
    <header>
      <nav aria-label="Main"><a routerLink="/">Home</a> <a routerLink="/account">Account</a> <a routerLink="/profile">Profile</a></nav>
      <app-session-status />
    </header>
    <main>
      <router-outlet />
    </main>
  `,
})
export class App {}
