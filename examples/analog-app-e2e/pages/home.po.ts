import type { Locator, Page } from '@playwright/test';
import { ShellPage } from './shell.po';

/** `/`: prerendered at build time (Analog's default). */
export class HomePage extends ShellPage {
  readonly heading: Locator;

  constructor(page: Page) {
    super(page);
    this.heading = page.getByRole('heading', { name: 'Welcome', level: 1 });
  }

  goto() {
    return this.page.goto('/');
  }
}
