// src/server.ts: serves the app on Node (srvx), PORT and HOST from the environment
import { serve } from 'h3';
import { app } from './app.js';

serve(app, { port: Number(process.env['PORT'] ?? 3000), hostname: process.env['HOST'] ?? '127.0.0.1' });
