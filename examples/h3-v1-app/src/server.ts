// src/server.ts: serves the app with node:http, PORT and HOST from the environment
import { createServer } from 'node:http';
import { toNodeListener } from 'h3';
import { app } from './app.js';

createServer(toNodeListener(app)).listen(Number(process.env['PORT'] ?? 3000), process.env['HOST'] ?? '127.0.0.1');
