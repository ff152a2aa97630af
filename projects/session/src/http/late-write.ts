// Writes that finish after the response was sent (the upstream auth package refreshes tokens in the
// background and then calls updateSession): the store write stands, only the Set-Cookie is impossible.
import type { H3Event } from 'h3';
import { getCookie } from 'h3';
import { unsignCookie } from '../core/cookie-signature';
import { SessionError } from '../core/errors';

/** Whether the response's headers are gone, so no cookie can be set or cleared any more. */
export function isResponseSent(event: H3Event): boolean {
  return event.handled || event.node?.res?.headersSent === true;
}

/**
 * Decides a cookie refresh asked for after the response was sent. Resolves when the browser already has a
 * cookie naming `id` (`signedId`: the ID this request last sent or verified under the current secret), as
 * the refresh would only have moved Max-Age; rejects with `COOKIE_ERROR` when the session got a new ID the
 * browser can no longer learn.
 */
export async function skipLateCookie(
  event: H3Event,
  config: { name: string; secrets: readonly string[] },
  id: string,
  signedId: string | undefined,
): Promise<void> {
  if (signedId === id) return;
  const sent = getCookie(event, config.name);
  if (sent !== undefined && (await unsignCookie(sent, config.secrets)) === id) return;
  throw new SessionError(
    'COOKIE_ERROR',
    "the response was already sent, so the browser cannot receive the session's new ID (the store holds it, unused). " +
      'Create or regenerate the session before the response ends.',
  );
}
