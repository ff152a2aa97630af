// Step-up freshness: setSessionUser records when the user authenticated, requireFreshSession judges it. A fake
// clock (Date only: the servers' sockets keep real timers) moves time past maxAge.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { getSessionAuthTime, requireFreshSession, setSessionUser } from '../src/index';
import { Client, serve, type Served } from './support/http';
import { createSessionApp } from './support/session-app';
import { memoryStore, type StoreUnderTest } from './support/stores';

const FIVE_MINUTES = 5 * 60;

describe('requireFreshSession', () => {
  let underTest: StoreUnderTest;
  let server: Served;
  beforeAll(async () => {
    underTest = await memoryStore();
    const { app } = createSessionApp(underTest.store);
    app
      .post('/sensitive', (event) => {
        requireFreshSession(event, { maxAge: FIVE_MINUTES });
        return { done: true };
      })
      .get('/auth-time', (event) => ({ authenticatedAt: getSessionAuthTime(event) }))
      .post('/relabel', async (event) => {
        // Binding the same user again is an authentication too: that is what setSessionUser records.
        await setSessionUser(event, 'ada', { label: 'other' });
        return { ok: true };
      })
      .post('/unbind', async (event) => {
        await setSessionUser(event, null);
        return { ok: true };
      });
    server = await serve(app);
  });
  afterAll(async () => {
    await server.close();
    await underTest.dispose();
  });
  afterEach(() => vi.useRealTimers());

  const at = (time: number) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(time);
  };

  const sensitive = async (client: Client) => {
    const response = await client.request('/sensitive', { body: {} });
    const body = (await response.json()) as { data?: { code?: string } };
    return { status: response.status, code: body.data?.code };
  };

  it('passes within maxAge of the login, then answers 401 STALE_SESSION until the user signs in again', async () => {
    const start = Date.UTC(2026, 0, 1, 12);
    at(start);
    const client = new Client(server.url);
    await client.json('/login', { body: { user: 'ada' } });
    expect(await client.json('/auth-time')).toEqual({ authenticatedAt: start });
    expect(await sensitive(client)).toEqual({ status: 200, code: undefined });

    at(start + FIVE_MINUTES * 1000);
    expect(await sensitive(client)).toEqual({ status: 200, code: undefined });
    at(start + FIVE_MINUTES * 1000 + 1);
    expect(await sensitive(client)).toEqual({ status: 401, code: 'STALE_SESSION' });
    // Still signed in: staleness only guards the sensitive action.
    expect((await client.json('/session')).user).toBe('ada');

    // Regeneration keeps the instant; a new login renews it.
    await client.json('/regenerate', { body: {} });
    expect(await sensitive(client)).toEqual({ status: 401, code: 'STALE_SESSION' });
    const later = start + 3_600_000;
    at(later);
    await client.json('/login', { body: { user: 'ada' } });
    expect(await client.json('/auth-time')).toEqual({ authenticatedAt: later });
    expect(await sensitive(client)).toEqual({ status: 200, code: undefined });
  });

  it('answers 401 UNAUTHORIZED to an anonymous request, and forgets the instant with the user', async () => {
    const client = new Client(server.url);
    expect(await sensitive(client)).toEqual({ status: 401, code: 'UNAUTHORIZED' });
    await client.json('/login', { body: { user: 'ada' } });
    await client.json('/unbind', { body: {} });
    expect(await client.json('/auth-time')).toEqual({ authenticatedAt: null });
    expect(await sensitive(client)).toEqual({ status: 401, code: 'UNAUTHORIZED' });
  });

  it('refuses a maxAge that is no positive number of seconds, naming it', async () => {
    const event = { context: {} } as never;
    for (const maxAge of [0, -1, Number.NaN, Infinity, '300' as unknown as number]) {
      expect(() => requireFreshSession(event, { maxAge })).toThrow(/requireFreshSession\(\): options.maxAge must be a positive number/);
    }
  });
});
