import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDemoApi, type DemoApi } from './support/demo-api';
import { demoClient } from './support/demo-client';

// TRUST_PROXY is read when the session config loads: this file starts the demo with it set (each test file gets
// its own modules), api.spec.ts without it.
let api: DemoApi;

beforeAll(async () => {
  process.env['TRUST_PROXY'] = 'true';
  api = await startDemoApi();
});

afterAll(async () => {
  delete process.env['TRUST_PROXY'];
  await api.close();
});

it('takes the origin from X-Forwarded-Proto and X-Forwarded-Host with TRUST_PROXY=true', async () => {
  const browser = demoClient(api.base);
  const proxied = { origin: 'https://demo.example', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'demo.example' };
  expect((await browser.send('POST', '/api/auth/login', { username: 'ada', password: 'lovelace-demo' }, proxied)).status).toBe(200);
  expect((await browser.send('POST', '/api/visits', undefined, proxied)).status).toBe(200);
  expect((await browser.send('POST', '/api/visits', undefined, { ...proxied, origin: 'http://demo.example' })).status).toBe(403);
  expect((await browser.send('POST', '/api/visits', undefined, { ...proxied, origin: api.base })).status).toBe(403);
});
