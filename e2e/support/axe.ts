import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/** Axe's violations on the page as it is now (WCAG 2.x A/AA and best practices), in a form that diffs well. */
export async function violations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  return results.violations.map(({ id, impact, help, nodes }) => ({ id, impact, help, targets: nodes.map((n) => n.target) }));
}
