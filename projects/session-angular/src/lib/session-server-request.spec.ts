import { describe, expect, it } from 'vitest';

import { isStaticRender, parseOrigin, readRequestHeader, requestOrigin } from './session-server-request';

/** Every HTTP client sends more than Host (a request with nothing else is Analog's made-up stub, see below). */
const AGENT = { 'user-agent': 'test' };

describe('readRequestHeader()', () => {
  it('reads Fetch Headers, Node header objects and repeated Node headers', () => {
    expect(readRequestHeader(new Request('http://x.test', { headers: { cookie: 'a=1' } }), 'cookie')).toBe('a=1');
    expect(readRequestHeader({ headers: { cookie: 'a=1' } }, 'cookie')).toBe('a=1');
    expect(readRequestHeader({ headers: { cookie: ['a=1', 'b=2'] } }, 'cookie')).toBe('a=1; b=2');
    expect(readRequestHeader({ headers: { 'x-forwarded-proto': ['https', 'http'] } }, 'x-forwarded-proto')).toBe('https, http');
    expect(readRequestHeader({ headers: {} }, 'cookie')).toBeNull();
    expect(readRequestHeader(new Request('http://x.test'), 'cookie')).toBeNull();
    expect(readRequestHeader(null, 'cookie')).toBeNull();
  });
});

describe('requestOrigin()', () => {
  it('is the origin of a Fetch Request URL', () => {
    expect(requestOrigin(new Request('https://app.test:8443/account?x=1'))).toBe('https://app.test:8443');
  });

  it("is a Node request's Host with the protocol Analog's BASE_URL uses", () => {
    expect(requestOrigin({ headers: { ...AGENT, host: 'app.test' }, url: '/account' })).toBe('http://app.test');
    expect(requestOrigin({ headers: { ...AGENT, host: 'app.test:3000' } })).toBe('http://app.test:3000');
    expect(requestOrigin({ headers: { ...AGENT, host: 'APP.test:80' } })).toBe('http://app.test');
    expect(requestOrigin({ headers: { ...AGENT, host: 'app.test', 'x-forwarded-proto': 'https' } })).toBe('https://app.test');
    expect(requestOrigin({ headers: { ...AGENT, host: 'app.test', 'x-forwarded-proto': 'https, http' } })).toBe('https://app.test');
    expect(requestOrigin({ headers: { ...AGENT, host: 'app.test' }, socket: { encrypted: true } })).toBe('https://app.test');
  });

  it('is null when the request names no origin', () => {
    expect(requestOrigin(null)).toBeNull();
    expect(requestOrigin({ headers: {} })).toBeNull();
    expect(requestOrigin({ headers: { ...AGENT, host: 'bad host' } })).toBeNull();
  });
});

describe('parseOrigin()', () => {
  it('takes the origin of absolute http(s) URLs only', () => {
    expect(parseOrigin('http://app.test/base/')).toBe('http://app.test');
    expect(parseOrigin('/relative')).toBeNull();
    expect(parseOrigin('file:///etc/passwd')).toBeNull();
    expect(parseOrigin(null)).toBeNull();
  });
});

describe('isStaticRender()', () => {
  it("is true for Nitro's build-time prerender and for a render without a request", () => {
    expect(isStaticRender({ headers: { 'x-nitro-prerender': '/' } })).toBe(true);
    expect(isStaticRender(new Request('http://app.test/', { headers: { 'x-nitro-prerender': '/' } }))).toBe(true);
    expect(isStaticRender(null)).toBe(true);
  });

  it('is true when the request has no readable headers: the visitor is unknown', () => {
    // A spread copy of a Node request ({ ...event.node.req }): Node keeps `headers` on the prototype.
    expect(isStaticRender({ url: '/account' })).toBe(true);
    // The stub Analog's Nitro 3 renderer makes when there is no Node request (a prerender).
    expect(isStaticRender({ headers: { host: 'localhost' }, url: '/' })).toBe(true);
    expect(isStaticRender({ headers: {} })).toBe(true);
    expect(readRequestHeader({ url: '/account' }, 'cookie')).toBeNull();
    expect(requestOrigin({ url: '/account' })).toBeNull();
    expect(requestOrigin({ headers: { host: 'localhost' } })).toBeNull();
  });

  it("is false for a visitor's request, with or without a cookie", () => {
    expect(isStaticRender({ headers: { ...AGENT, host: 'app.test' } })).toBe(false);
    expect(isStaticRender(new Request('http://app.test/', { headers: { cookie: 'sid=1' } }))).toBe(false);
  });
});
