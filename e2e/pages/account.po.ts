import { expect, type Locator, type Page, type Request } from '@playwright/test';
import { ShellPage } from './shell.po';

/** `/account`: the signed-in user's data, the session actions and "Your sessions". */
export class AccountPage extends ShellPage {
  readonly heading: Locator;
  readonly name: Locator;
  readonly sessionStarted: Locator;
  readonly visits: Locator;
  /** When the session ends if idle, on the browser's clock; "Not known yet" until the app runs in the browser. */
  readonly idleExpiry: Locator;
  readonly countVisit: Locator;
  readonly regenerate: Locator;
  readonly logOut: Locator;
  readonly notice: Locator;
  readonly yourSessions: Locator;
  /** One list item per session of the user, this device first. */
  readonly sessionItems: Locator;
  readonly currentSession: Locator;
  readonly signOutEverywhereElse: Locator;
  readonly sessionsNotice: Locator;

  constructor(page: Page) {
    super(page);
    this.heading = page.getByRole('heading', { name: 'Your account', level: 1 });
    // Each <dd> is labelled by its <dt> (aria-labelledby), which getByLabel understands.
    const facts = page.getByRole('region', { name: 'Stored in your session' });
    this.name = facts.getByLabel('Name', { exact: true });
    this.sessionStarted = facts.getByLabel('Session started', { exact: true });
    this.visits = facts.getByLabel('Visits counted', { exact: true });
    this.idleExpiry = facts.getByLabel('Signed out if inactive until', { exact: true });
    this.countVisit = page.getByRole('button', { name: 'Count a visit' });
    this.regenerate = page.getByRole('button', { name: 'Regenerate session ID' });
    this.logOut = page.getByRole('button', { name: 'Log out' });
    this.notice = page.getByRole('region', { name: 'Session actions' }).getByRole('status');
    this.yourSessions = page.getByRole('region', { name: 'Your sessions' });
    this.sessionItems = this.yourSessions.getByRole('listitem');
    this.currentSession = this.sessionItems.filter({ hasText: 'This device' });
    this.signOutEverywhereElse = this.yourSessions.getByRole('button', { name: 'Sign out everywhere else' });
    this.sessionsNotice = this.yourSessions.getByRole('status');
  }

  /** The list item of the (one) other session whose label is `label`, e.g. "Firefox on Linux". */
  sessionItem(label: string): Locator {
    return this.sessionItems.filter({ hasText: label });
  }

  /** The "Sign out" button of the other session labelled `label`. */
  signOutButton(label: string): Locator {
    return this.sessionItem(label).getByRole('button', { name: 'Sign out', exact: true });
  }

  async goto(base = ''): Promise<void> {
    await this.page.goto(`${base}/account`);
  }

  /**
   * Clicks "Count a visit" and waits until the page shows `expected`. A click that lands while the page hydrates
   * was seen lost once (no request sent) on a loaded machine; it is repeated only when no POST /api/visits went
   * out, so a visit is never counted twice.
   */
  async countVisitAndExpect(expected: number): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const isVisitPost = (request: Request) => request.method() === 'POST' && new URL(request.url()).pathname === '/api/visits';
      const sent = this.page.waitForRequest(isVisitPost, { timeout: 5_000 }).then(
        () => true,
        () => false,
      );
      await this.countVisit.click();
      if ((await sent) || attempt === 3) break;
    }
    await expect(this.visits).toHaveText(String(expected));
  }
}
