import type { Page, Request } from '@playwright/test';

/**
 * Holds the page's requests to `url` (a glob, as page.route takes) that `which` selects, until the returned
 * function is called: a slow network for those requests only.
 */
export async function holdRequests(page: Page, url: string, which: (request: Request) => boolean = () => true): Promise<() => void> {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(url, async (route) => {
    if (which(route.request())) await held;
    await route.continue();
  });
  return release;
}
