import type { Locator, Page } from '@playwright/test';

/** The header present on every page (navigation, the live session status), and the session's notices. */
export class ShellPage {
  readonly sessionStatus: Locator;
  readonly mainNav: Locator;
  /** The idle warning: an alert dialog with the time left, "Stay signed in" and "Sign out". */
  readonly timeoutDialog: Locator;
  readonly staySignedIn: Locator;
  readonly signOutNow: Locator;
  /** Why this tab was signed out, when the server ended the session while the page was open. */
  readonly endedBanner: Locator;

  constructor(readonly page: Page) {
    this.mainNav = page.getByRole('navigation', { name: 'Main' });
    this.sessionStatus = page.getByRole('banner').getByRole('status');
    this.timeoutDialog = page.getByRole('alertdialog', { name: 'Are you still there?' });
    this.staySignedIn = this.timeoutDialog.getByRole('button', { name: 'Stay signed in' });
    this.signOutNow = this.timeoutDialog.getByRole('button', { name: 'Sign out' });
    this.endedBanner = page.getByRole('alert').filter({ hasText: 'You were signed out' });
  }
}
