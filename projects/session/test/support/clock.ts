import { vi } from 'vitest';

/**
 * Resolves once `Date.now()` has moved past the millisecond it was called in. Logins on either side of it get
 * different expiry times: a store ranks a user's sessions by expiry, and a tie (two fast logins in one millisecond)
 * has no defined order.
 */
export async function nextMillisecond(): Promise<void> {
  const now = Date.now();
  while (Date.now() === now) await new Promise((resolve) => setTimeout(resolve, 1));
}

/**
 * Retries `check` until it passes: for what a request reports in its background (an expiry a read found), which a
 * loaded machine may deliver seconds after the response.
 */
export const arrived = (check: () => void): Promise<void> => vi.waitFor(check, { timeout: 10_000, interval: 20 });
