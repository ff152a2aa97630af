// server/routes/prerendered.get.ts: rendered at build time (nitro.config.ts), so always the anonymous session
import { defineHandler } from 'h3';
import { getSession, getSessionUser } from '@analog-tools/session';

export default defineHandler((event) => ({ user: getSessionUser(event), session: getSession(event) }));
