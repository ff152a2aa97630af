import { createError, defineEventHandler, getRequestHeader, getRequestHost } from 'h3';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SAME_SITE_FETCH = new Set(['same-origin', 'none']);

/**
 * Refuses state-changing requests sent from another origin (CSRF defence in depth, on top of SameSite=Lax).
 * Runs before `session.ts` (Nitro runs middleware files in name order), so a refused request never touches
 * the store.
 */
export default defineEventHandler((event) => {
  if (SAFE_METHODS.has(event.method)) return;

  const fetchSite = getRequestHeader(event, 'sec-fetch-site');
  if (fetchSite && !SAME_SITE_FETCH.has(fetchSite)) refuse();

  const origin = getRequestHeader(event, 'origin');
  if (origin !== undefined && originHost(origin) !== getRequestHost(event)) refuse();
});

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null; // "null" (sandboxed or privacy-sensitive contexts) and garbage never match
  }
}

function refuse(): never {
  throw createError({ statusCode: 403, statusMessage: 'Cross-origin request refused' });
}
