// server/middleware/session.ts: every route gets its session
import { useStorage } from 'nitro/storage';
import { defineSessionMiddleware } from '@analog-tools/session';

// The secret is read at the first request, not at build time: `nitro build` needs no SESSION_SECRET.
export default defineSessionMiddleware({ store: useStorage('sessions'), secret: process.env['SESSION_SECRET']! });
