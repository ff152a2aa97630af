import { createError, defineEventHandler, getRequestHeader } from 'h3';
import { requestOrigin } from '../utils/request-origin';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SAME_SITE_FETCH = new Set(['same-origin', 'none']);

/**
 * Refuses state-changing requests that do not come from the demo's own origin (CSRF defence in depth, on top
 * of SameSite=Lax). Runs before `session.ts` (Nitro runs middleware files in name order), so a refused request
 * never touches the store.
 *
 * - `Origin`, when sent, must equal this server's origin: scheme AND host (and port). `https://host` is not
 *   `http://host`: a page on the other scheme is another origin, possibly served by someone else.
 * - `Sec-Fetch-Site`, when sent, must be `same-origin` or `none` (typed into the address bar).
 * - A request with neither header is refused: every current browser sends `Origin` on a POST (fetch, XHR and
 *   plain HTML forms alike), so only non-browser clients omit both, and they can send `Origin` like a browser.
 *   Trusting header-less requests would let any client that strips both headers through.
 * - Behind a reverse proxy, set `TRUST_PROXY=true` so that this server's origin is taken from
 *   `X-Forwarded-Proto` / `X-Forwarded-Host` (see `utils/request-origin.ts`).
 */
export default defineEventHandler((event) => {
  if (SAFE_METHODS.has(event.method)) return;

  const fetchSite = getRequestHeader(event, 'sec-fetch-site');
  if (fetchSite !== undefined && !SAME_SITE_FETCH.has(fetchSite)) refuse();

  const origin = getRequestHeader(event, 'origin');
  if (origin === undefined) {
    if (fetchSite === undefined) refuse();
    return;
  }
  // "null" (sandboxed or privacy-sensitive contexts), garbage and anything with a path never equal it.
  if (origin.toLowerCase() !== requestOrigin(event)) refuse();
});

function refuse(): never {
  throw createError({ statusCode: 403, statusMessage: 'Cross-origin request refused' });
}
