import type { Locator, Page } from '@playwright/test';
import { ShellPage } from './shell.po';

/** `/login`: the username/password form. */
export class LoginPage extends ShellPage {
  readonly heading: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly rememberMe: Locator;
  readonly alert: Locator;

  constructor(page: Page) {
    super(page);
    this.heading = page.getByRole('heading', { name: 'Log in', level: 1 });
    this.username = page.getByLabel('Username');
    this.password = page.getByLabel('Password');
    this.rememberMe = page.getByLabel('Remember me on this device');
    this.submit = page.getByRole('main').getByRole('button', { name: /Log(ging)? in/ });
    this.alert = page.getByRole('alert');
  }

  async goto(): Promise<void> {
    await this.page.goto('/login');
  }

  /**
   * Waits until the app has hydrated (its scripts loaded and nothing else in flight). A form sent before is the
   * browser's own POST: correct, but it answers a wrong password with a redirect to `/login?error=1` instead of the
   * app's inline message, so tests of the app's behaviour wait first.
   */
  async waitForApp(): Promise<void> {
    await this.page.waitForLoadState('networkidle');
  }

  /** Fills and sends the form; does not wait for the navigation that follows a success. */
  async logInAs(username: string, password: string): Promise<void> {
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submit.click();
  }
}
