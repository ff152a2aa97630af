import { createEvent, type H3Event } from 'h3';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createStorage } from 'unstorage';
import { useSession } from './use-session';
import { getSession } from './api/get-session';

function event(): H3Event {
  const req = new IncomingMessage(new Socket());
  req.headers = {};
  return createEvent(req, new ServerResponse(req));
}

describe('useSession (the public entry)', () => {
  it('reports every problem as a rejected promise, never as a synchronous throw', async () => {
    const calls = [
      () => useSession(event()),
      () => useSession(event(), { store: undefined as never, secret: 'use-session-secret-0123456789-abcdefghij' }),
    ];
    for (const call of calls) {
      let promise: Promise<void> | undefined;
      expect(() => (promise = call())).not.toThrow();
      await expect(promise).rejects.toMatchObject({ name: 'SessionError' });
    }
  });

  it('resolves once the session is on the event', async () => {
    const e = event();
    await expect(useSession(e, { store: createStorage(), secret: 'use-session-secret-0123456789-abcdefghij' })).resolves.toBeUndefined();
    expect(getSession(e)).toEqual({});
    await expect(useSession(e)).resolves.toBeUndefined();
  });
});
