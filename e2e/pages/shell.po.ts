import type { Locator, Page } from '@playwright/test';

/** The header present on every page: navigation and the live session status. */
export class ShellPage {
  readonly sessionStatus: Locator;
  readonly mainNav: Locator;

  constructor(readonly page: Page) {
    this.mainNav = page.getByRole('navigation', { name: 'Main' });
    this.sessionStatus = page.getByRole('banner').getByRole('status');
  }
}
