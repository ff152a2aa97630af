// server/routes/api/plain-cookie-conflict.post.ts: a test control, no session: h3's own setCookie, then an error.
// Shows what the host itself does with a Set-Cookie on an error response.
import { defineHandler, HTTPError, setCookie } from 'h3';

export default defineHandler((event) => {
  setCookie(event, 'control', '1');
  throw new HTTPError({ status: 409, statusText: 'Conflict' });
});
