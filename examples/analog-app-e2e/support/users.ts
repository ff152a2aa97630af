/** The example's one user (examples/analog-app/src/server/routes/api/auth/login.post.ts). */
export const ADA = { username: 'ada', password: 'lovelace-example', name: 'Ada Lovelace' };

/** The example keeps the library's default cookie name. */
export const SESSION_COOKIE = 'connect.sid';
