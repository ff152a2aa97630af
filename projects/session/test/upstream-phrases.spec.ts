// The messages the published releases threw, which callers match on, stay inside ours (with our codes),
// both before useSession() and when the session vanished from the store meanwhile.
import { createStorage } from 'unstorage';
import { describe, expect, it } from 'vitest';
import { regenerateSession, updateSession, useSession, type SessionConfig } from '../src/index';
import { syntheticEvent } from './reliability/support/synthetic-event';

const store = createStorage();
const config: SessionConfig = { store, secret: 'phrases-secret-0123456789-abcdefghijk' };

/** An event whose session was written, then deleted from the store behind its back. */
async function vanishedSession() {
  const event = syntheticEvent();
  await useSession(event, config);
  await updateSession(event, () => ({ n: 1 }));
  await store.clear();
  return event;
}

describe('upstream error phrases', () => {
  it("no session on the event: 'No active session found' / 'No active session to regenerate', INVALID_SESSION", async () => {
    await expect(updateSession(syntheticEvent(), () => ({}))).rejects.toThrow('No active session found');
    await expect(regenerateSession(syntheticEvent())).rejects.toThrow('No active session to regenerate');
    await expect(regenerateSession(syntheticEvent())).rejects.toMatchObject({
      code: 'INVALID_SESSION',
      message: expect.stringContaining('useSession(event, config)'),
    });
  });

  it('the session vanished from the store: the same phrases, EXPIRED_SESSION', async () => {
    await expect(updateSession(await vanishedSession(), () => ({ n: 2 }))).rejects.toMatchObject({
      code: 'EXPIRED_SESSION',
      message: expect.stringContaining('No active session found'),
    });
    await expect(regenerateSession(await vanishedSession())).rejects.toMatchObject({
      code: 'EXPIRED_SESSION',
      message: expect.stringContaining('No active session to regenerate'),
    });
  });
});
