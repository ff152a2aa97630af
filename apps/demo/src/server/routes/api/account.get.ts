import { defineEventHandler } from 'h3';
import { requireUser } from '../../utils/require-user';

/** GET /api/account -> `{ name, loginAt, visits }` for the account page. 401 when anonymous. */
export default defineEventHandler((event) => {
  const session = requireUser(event);
  return { name: session.user.name, loginAt: session.loginAt ?? null, visits: session.visits ?? 0 };
});
