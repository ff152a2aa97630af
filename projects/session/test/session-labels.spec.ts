// Labels of a user's sessions ("Firefox on Linux"), cut to MAX_SESSION_LABEL_LENGTH.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SESSION_LABEL_LENGTH } from '../src/index';
import { Client, serve, type Served } from './support/http';
import { createSessionApp } from './support/session-app';
import { memoryStore, type StoreUnderTest } from './support/stores';

/** Half of a surrogate pair: what a cut through an emoji leaves. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('session labels', () => {
  let underTest: StoreUnderTest;
  let server: Served;
  beforeAll(async () => {
    underTest = await memoryStore();
    server = await serve(createSessionApp(underTest.store).app);
  });
  afterAll(async () => {
    await server.close();
    await underTest.dispose();
  });

  const labelOf = async (label: string) => {
    const client = new Client(server.url);
    await client.json('/login', { body: { user: `u-${label.length}-${Math.random()}`, label } });
    const [session] = await client.json<{ label: string | null }[]>('/sessions');
    return session.label!;
  };

  it('cuts a long label at a code point boundary, never through a surrogate pair', async () => {
    const emoji = '\u{1F600}';
    const label = await labelOf('a'.repeat(MAX_SESSION_LABEL_LENGTH - 1) + emoji + 'tail');
    expect(label).not.toMatch(LONE_SURROGATE);
    expect(label).toBe('a'.repeat(MAX_SESSION_LABEL_LENGTH - 1));
    expect(await labelOf('a'.repeat(MAX_SESSION_LABEL_LENGTH - 2) + emoji + 'tail')).toBe('a'.repeat(MAX_SESSION_LABEL_LENGTH - 2) + emoji);
    expect(await labelOf('b'.repeat(MAX_SESSION_LABEL_LENGTH + 5))).toHaveLength(MAX_SESSION_LABEL_LENGTH);
  });
});
