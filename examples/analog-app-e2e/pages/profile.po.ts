import type { Locator, Page } from '@playwright/test';
import { ShellPage } from './shell.po';

/** `/profile`: shows what its page server load (profile.server.ts) read from the session. */
export class ProfilePage extends ShellPage {
  readonly heading: Locator;
  readonly content: Locator;

  constructor(page: Page) {
    super(page);
    this.heading = page.getByRole('heading', { name: 'Profile', level: 1 });
    this.content = page.getByRole('main');
  }

  goto() {
    return this.page.goto('/profile');
  }
}
