import type { H3Event } from 'h3';
import { afterEach, describe, expect, it } from 'vitest';
import { clientAddress } from '../src/server/utils/client-address';

function eventFrom(remoteAddress: string, headers: Record<string, string> = {}): H3Event {
  return { node: { req: { socket: { remoteAddress }, headers } } } as unknown as H3Event;
}

describe('clientAddress', () => {
  afterEach(() => {
    delete process.env['TRUST_PROXY'];
  });

  it('keys IPv4 (also IPv4-mapped) by address and IPv6 by its /64', () => {
    expect(clientAddress(eventFrom('203.0.113.7'))).toBe('203.0.113.7');
    expect(clientAddress(eventFrom('::ffff:203.0.113.7'))).toBe('203.0.113.7');
    expect(clientAddress(eventFrom('2001:db8:1:2:aaaa:bbbb:cccc:dddd'))).toBe('2001:db8:1:2::/64');
    expect(clientAddress(eventFrom('2001:db8:1:2::1'))).toBe('2001:db8:1:2::/64');
    expect(clientAddress(eventFrom('2001:db8::1'))).toBe('2001:db8:0:0::/64');
    expect(clientAddress(eventFrom('2001:0DB8:0001:0002::9%eth0'))).toBe('2001:db8:1:2::/64');
    expect(clientAddress(eventFrom('::1'))).toBe('0:0:0:0::/64');
  });

  it('reads the last X-Forwarded-For entry only with TRUST_PROXY=true', () => {
    const proxied = eventFrom('10.0.0.2', { 'x-forwarded-for': '198.51.100.1, 203.0.113.9' });
    expect(clientAddress(proxied)).toBe('10.0.0.2');
    process.env['TRUST_PROXY'] = 'true';
    expect(clientAddress(proxied)).toBe('203.0.113.9');
    expect(clientAddress(eventFrom('10.0.0.2'))).toBe('10.0.0.2');
  });
});
