// Events built by hand, as upstream's own specs build them: `{ node: { req: {}, res: {} }, context: {} }` for h3 v1
// (no headers object at all) and a bare web Request for h3 v2. The session must treat them as requests without
// cookies, never crash reading a header.
import { describe, expect, it } from 'vitest';
import { createStorage } from 'unstorage';
import { createUnstorageStore, getSession, UnstorageSessionStore, updateSession, useSession, type SessionConfig } from '../src/index';
import { SECRET } from './support/session-app';

const shapes: Record<string, () => any> = {
  'v1 without headers': () => ({ node: { req: {}, res: {} }, context: {} }),
  'v2 minimal': () => ({ req: new Request('http://localhost/'), res: { headers: new Headers() }, context: {} }),
};

describe.each(Object.keys(shapes))('a hand-built %s event', (shape) => {
  it('goes through useSession, getSession and updateSession without a crash', async () => {
    const config: SessionConfig = { store: await createUnstorageStore({ type: 'memory' }), secret: SECRET };
    const event = shapes[shape]();
    await useSession(event, config);
    expect(getSession(event)).toEqual({});
    await updateSession(event, () => ({ visits: 1 }));
    expect(getSession(event)).toEqual({ visits: 1 });
    const keys = await (await config.store).getKeys();
    expect(keys.filter((key) => key.startsWith('sess:'))).toHaveLength(1);
  });

  it('also through the v0.0.3 API and its session handler', async () => {
    const storage = createStorage();
    const event = shapes[shape]();
    await useSession(event, { store: new UnstorageSessionStore(storage), secret: SECRET });
    await useSession(event);
    const handler = event.context.sessionHandler;
    handler.update(() => ({ visits: 1 }));
    await handler.save();
    expect(getSession(event)).toEqual({ visits: 1 });
    expect(await storage.getKeys('sess')).toHaveLength(1);
    await handler.destroy();
    expect(await storage.getKeys('sess')).toHaveLength(0);
  });
});
