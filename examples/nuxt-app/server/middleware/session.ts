// server/middleware/session.ts: every API route and server-rendered page gets its session
import { useStorage } from 'nitropack/runtime';
import { defineSessionMiddleware } from '@analog-tools/session';

// The secret is read at the first request, not at build time: `nuxt build` needs no SESSION_SECRET.
export default defineSessionMiddleware({ store: useStorage('sessions'), secret: process.env.SESSION_SECRET! });
