import type { Locator, Page } from '@playwright/test';
import { ShellPage } from './shell.po';

/** `/account`: guarded by sessionGuard(), shows the user from the session summary. */
export class AccountPage extends ShellPage {
  readonly heading: Locator;
  readonly content: Locator;

  constructor(page: Page) {
    super(page);
    this.heading = page.getByRole('heading', { name: 'Your account', level: 1 });
    this.content = page.getByRole('main');
  }

  goto() {
    return this.page.goto('/account');
  }
}
