// server/api/me.get.ts: signed-in users only, 401 for anonymous requests
import { defineEventHandler } from 'h3';
import { requireSession } from '@analog-tools/session';

export default defineEventHandler((event) => ({ user: requireSession<{ user?: { id: string; name: string } }>(event).user }));
