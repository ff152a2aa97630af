import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signCookie, unsignCookie } from './cookie-signature';
import { createNodeCryptoBackend, createWebCryptoBackend, generateSessionId, type CryptoBackend } from './crypto';

const node = createNodeCryptoBackend()!;
const web = createWebCryptoBackend()!;
const secret = fc.string({ minLength: 1, maxLength: 80 });
const value = fc.string({ maxLength: 200 });

describe.each<[string, CryptoBackend]>([
  ['node:crypto', node],
  ['WebCrypto', web],
])('signCookie / unsignCookie with %s', (_, backend) => {
  it('produces s:<value>.<43 URL-safe characters>', async () => {
    const signed = await signCookie('session-id-123', 'secret', backend);
    expect(signed).toMatch(/^s:session-id-123\.[A-Za-z0-9_-]{43}$/);
  });

  it('round-trips any value under any secret', async () => {
    await fc.assert(
      fc.asyncProperty(value, secret, async (v, s) => {
        expect(await unsignCookie(await signCookie(v, s, backend), s, backend)).toBe(v);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects any change to a signed value', async () => {
    await fc.assert(
      fc.asyncProperty(value, secret, fc.nat(), fc.integer({ min: 1, max: 0xffff }), async (v, s, at, delta) => {
        const signed = await signCookie(v, s, backend);
        const i = at % signed.length;
        const changed = signed.slice(0, i) + String.fromCharCode((signed.charCodeAt(i) + delta) % 0x10000) + signed.slice(i + 1);
        fc.pre(changed !== signed);
        expect(await unsignCookie(changed, s, backend)).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  it('rejects truncated and extended signatures', async () => {
    const signed = await signCookie('abc', 'k', backend);
    for (let cut = 1; cut < signed.length; cut++) expect(await unsignCookie(signed.slice(0, cut), 'k', backend)).toBeNull();
    expect(await unsignCookie(`${signed}A`, 'k', backend)).toBeNull();
  });

  it('signs with the first secret and verifies with every one (rotation)', async () => {
    const old = await signCookie('id', 'old-secret', backend);
    const current = await signCookie('id', 'new-secret', backend);
    expect(await unsignCookie(old, ['new-secret', 'old-secret'], backend)).toBe('id');
    expect(await unsignCookie(current, ['new-secret', 'old-secret'], backend)).toBe('id');
    expect(await unsignCookie(old, ['new-secret'], backend)).toBeNull();
  });

  it('rejects a wrong secret, and inputs that are not signed values', async () => {
    const signed = await signCookie('id', 'right', backend);
    expect(await unsignCookie(signed, 'wrong', backend)).toBeNull();
    for (const bad of ['', 's:', 's:.', 'id.sig', 'x:id.sig', signed.slice(2)])
      expect(await unsignCookie(bad, 'right', backend)).toBeNull();
    expect(await unsignCookie(undefined as unknown as string, 'right', backend)).toBeNull();
  });
});

describe('crypto back ends', () => {
  it('node:crypto and WebCrypto sign byte-for-byte alike', async () => {
    await fc.assert(
      fc.asyncProperty(value, secret, async (v, s) => {
        expect(await signCookie(v, s, node)).toBe(await signCookie(v, s, web));
      }),
      { numRuns: 200 },
    );
  });

  it('hash identically', async () => {
    expect(await web.sha256Hex('abc')).toBe(node.sha256Hex('abc'));
    expect(node.sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('compare in constant time by length only: equal strings match, others do not', () => {
    for (const backend of [node, web]) {
      expect(backend.equal('abc', 'abc')).toBe(true);
      expect(backend.equal('abc', 'abd')).toBe(false);
      expect(backend.equal('abc', 'abcd')).toBe(false);
    }
  });

  it('session IDs carry 192 random bits in 32 URL-safe characters, and do not repeat', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => generateSessionId(node)));
    expect(ids.size).toBe(10_000);
    for (const id of [...ids].slice(0, 100)) expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(generateSessionId(web)).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('signCookie refuses an empty secret with CRYPTO_ERROR', async () => {
    await expect(signCookie('id', '')).rejects.toMatchObject({ code: 'CRYPTO_ERROR' });
  });
});
