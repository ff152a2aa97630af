import { expect, test } from '@playwright/test';

test('an unknown API path answers 404 in JSON, not the app page', async ({ request }) => {
  for (const path of ['/api/nonexistent', '/api/account.css', '/api/auth/nothing']) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(404);
    expect(response.headers()['content-type'], path).toContain('application/json');
    expect(await response.json(), path).toMatchObject({ statusCode: 404 });
  }
});

test('an unknown page answers 404 with a "Page not found" page that leads home', async ({ page }) => {
  const response = await page.goto('/no-such-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found', level: 1 })).toBeVisible();
  await expect(page).toHaveTitle(/Page not found/);
  await page.getByRole('link', { name: 'Go to the home page' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { name: 'Server-side sessions that just work with SSR', level: 1 })).toBeVisible();
});
