// Lowering maxAge or adding absoluteTimeout must reach sessions created under the looser config.
import { afterEach, describe, expect, it } from 'vitest';
import { createUnstorageStore, type SessionConfig } from '../src/index';
import { Client, serve, type Served } from './support/http';
import { createSessionApp } from './support/session-app';

const servers: Served[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function sessionThenTightened(tightened: Partial<SessionConfig>): Promise<{ before: Client; after: Client }> {
  const store = await createUnstorageStore({ type: 'memory' });
  const loose = await serve(createSessionApp(store, { maxAge: 3600 }).app);
  const tight = await serve(createSessionApp(store, { maxAge: 3600, ...tightened }).app);
  servers.push(loose, tight);
  const before = new Client(loose.url);
  await before.json('/set', { body: { n: 1 } });
  const after = new Client(tight.url);
  for (const [name, value] of before.cookies) after.cookies.set(name, value);
  return { before, after };
}

describe('expiry against the current config', () => {
  it('a session idle longer than a lowered maxAge is not accepted', async () => {
    const { after } = await sessionThenTightened({ maxAge: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((await after.json('/session')).data).toEqual({});
  });

  it('a session older than a newly added absoluteTimeout is not accepted, however active', async () => {
    const { before, after } = await sessionThenTightened({ absoluteTimeout: 1, touchAfter: 0 });
    expect(await after.json('/session')).toMatchObject({ data: { n: 1 } });
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(await before.json('/session')).toMatchObject({ data: { n: 1 } });
    expect((await after.json('/session')).data).toEqual({});
  });
});
