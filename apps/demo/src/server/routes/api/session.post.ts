/**
 * POST /api/session ("touch", the idle warning's "Stay signed in" and the client's keep-alive): the same handler as
 * GET, whose POST slides the idle expiry before answering the summary with the new instants.
 */
export { default } from './session.get';
