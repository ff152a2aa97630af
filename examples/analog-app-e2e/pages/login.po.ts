import type { Locator, Page } from '@playwright/test';
import { ShellPage } from './shell.po';

/** `/login`: the form posting to /api/auth/login. */
export class LoginPage extends ShellPage {
  readonly heading: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly alert: Locator;

  constructor(page: Page) {
    super(page);
    this.heading = page.getByRole('heading', { name: 'Log in', level: 1 });
    this.username = page.getByLabel('Username');
    this.password = page.getByLabel('Password');
    this.submit = page.getByRole('main').getByRole('button', { name: 'Log in' });
    this.alert = page.getByRole('alert');
  }

  /** Waits for the network to settle: typing before hydration would be lost and the form would submit natively. */
  goto() {
    return this.page.goto('/login', { waitUntil: 'networkidle' });
  }

  async logInAs(username: string, password: string): Promise<void> {
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submit.click();
  }
}
