import { createError, defineEventHandler } from 'h3';

/**
 * Any other `/api/...` path, or a method its route does not take: 404 in JSON, as for every API error.
 * Without it the request would fall through to the page renderer and get the app's HTML with 200.
 */
export default defineEventHandler(() => {
  throw createError({ statusCode: 404, statusMessage: 'No such API route' });
});
