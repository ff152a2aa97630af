import type { H3Event } from 'h3';
import { forwardedHeader, trustsProxy } from './proxy-headers';

/**
 * The client's address, as a key for per-client limits: the connection's peer, or the address the trusted
 * proxy appended to `X-Forwarded-For` when `TRUST_PROXY=true` (the last entry: everything before it is what
 * the client sent). IPv6 addresses are cut to their /64, which one end user typically holds whole: keying by
 * full address would let one client rotate through 2^64 of them.
 */
export function clientAddress(event: H3Event): string {
  const address = (trustsProxy() && forwardedHeader(event, 'x-forwarded-for')) || event.node.req.socket.remoteAddress || 'unknown';
  const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').replace(/%.*$/, '');
  return plain.includes(':') ? ipv6Prefix64(plain) : plain;
}

function ipv6Prefix64(address: string): string {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((group) => (parseInt(group, 16) || 0).toString(16))
    .join(':')}::/64`;
}
