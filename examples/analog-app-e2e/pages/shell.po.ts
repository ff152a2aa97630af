import type { Locator, Page } from '@playwright/test';

/** What every page of the example shows: the header's session status (src/app/session-status.ts). */
export class ShellPage {
  readonly sessionStatus: Locator;
  readonly logOut: Locator;
  readonly logInLink: Locator;

  constructor(readonly page: Page) {
    const header = page.getByRole('banner');
    this.sessionStatus = header.getByRole('status');
    this.logOut = header.getByRole('button', { name: 'Log out' });
    this.logInLink = header.getByRole('link', { name: 'Log in' });
  }
}
