import { createHmac, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signCookie, unsignCookie } from './cookie-signature';
import { verifyLegacyCookie } from './legacy-sessions';

const secret = 'test-secret-0123456789-abcdefghijklmnop';
const RUNS = 10_000;

/** A cookie as the 0.0.x releases signed it: standard base64, padding stripped. */
const legacySign = (id: string) => `s:${id}.${createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, '')}`;

async function legacyRate(sign: (id: string) => string | Promise<string>): Promise<number> {
  let verified = 0;
  for (let i = 0; i < RUNS; i++) {
    const id = randomUUID();
    if ((await verifyLegacyCookie(await sign(id), [secret])) === id) verified++;
  }
  return verified / RUNS;
}

describe('verifyLegacyCookie', () => {
  it(`takes no signCookie output for a 0.0.x session cookie (${RUNS} random UUIDs)`, async () => {
    const rate = await legacyRate((id) => signCookie(id, secret));
    // Before the signature covered a context, about 1 in 4 passed (each of 43 characters avoiding '-' and '_').
    console.info(`[legacy-sessions] signCookie(uuid) verifying as a 0.0.x cookie: ${(rate * 100).toFixed(2)}% of ${RUNS}`);
    expect(rate).toBe(0);
  });

  it(`still verifies every 0.0.x cookie (${RUNS} random UUIDs), and unsignCookie takes none of them`, async () => {
    expect(await legacyRate(legacySign)).toBe(1);
    for (let i = 0; i < 1000; i++) expect(await unsignCookie(legacySign(randomUUID()), secret)).toBeNull();
  });
});
