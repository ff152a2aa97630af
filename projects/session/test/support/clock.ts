/**
 * Resolves once `Date.now()` has moved past the millisecond it was called in. Logins on either side of it get
 * different expiry times: a store ranks a user's sessions by expiry, and a tie (two fast logins in one millisecond)
 * has no defined order.
 */
export async function nextMillisecond(): Promise<void> {
  const now = Date.now();
  while (Date.now() === now) await new Promise((resolve) => setTimeout(resolve, 1));
}
