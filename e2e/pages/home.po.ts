import type { Locator, Page } from '@playwright/test';
import { ShellPage } from './shell.po';

/** `/`: what the kit does and the visitor's session status. */
export class HomePage extends ShellPage {
  readonly heading: Locator;
  readonly yourSession: Locator;

  constructor(page: Page) {
    super(page);
    this.heading = page.getByRole('heading', { level: 1 });
    this.yourSession = page.getByRole('region', { name: 'Your session' });
  }

  async goto(): Promise<void> {
    await this.page.goto('/');
  }
}
