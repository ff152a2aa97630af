import { HttpClient } from '@angular/common/http';
import { HttpTestingController } from '@angular/common/http/testing';
import { DOCUMENT } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { afterEach, describe, expect, it } from 'vitest';

import { setup, verifyHttpAfterEach } from '../test-helpers';
import { provideSession, withXsrf } from './provide-session';
import { sessionXsrfInterceptor } from './session-xsrf.interceptor';

const TOKEN = 'tok-en_0123456789';

describe('sessionXsrfInterceptor', () => {
  let http: HttpTestingController;
  verifyHttpAfterEach();
  afterEach(() => {
    for (const name of ['XSRF-TOKEN', 'CSRF']) document.cookie = `${name}=; Max-Age=0; Path=/`;
  });

  const origin = () => TestBed.inject(DOCUMENT).location.origin;
  const post = (url: string, headers?: Record<string, string>) => TestBed.inject(HttpClient).post(url, {}, { headers }).subscribe();
  const tokenOf = (url: string, name = 'X-XSRF-TOKEN') => http.expectOne(url).request.headers.get(name);

  it('sets the token from the XSRF-TOKEN cookie on unsafe requests to absolute same-origin URLs', () => {
    document.cookie = `XSRF-TOKEN=${TOKEN}; Path=/`;
    http = setup({ interceptors: [sessionXsrfInterceptor] });
    const urls = [`${origin()}/api/visits`, `${origin().toUpperCase()}/api/other`, `//${new URL(origin()).host}/api/third`];
    urls.forEach((url) => post(url));
    for (const url of urls) expect(tokenOf(url), url).toBe(TOKEN);
    TestBed.inject(HttpClient).put(`${origin()}/api/put`, {}).subscribe();
    TestBed.inject(HttpClient).delete(`${origin()}/api/delete`).subscribe();
    expect(tokenOf(`${origin()}/api/put`)).toBe(TOKEN);
    expect(tokenOf(`${origin()}/api/delete`)).toBe(TOKEN);
  });

  it('never sends it to another origin, on a safe method, over a header already set, or without a cookie', () => {
    document.cookie = `XSRF-TOKEN=${TOKEN}; Path=/`;
    http = setup({ interceptors: [sessionXsrfInterceptor] });
    const other = ['https://evil.example/api', '//evil.example/api', `${origin()}.evil.example/api`, 'http://localhost:1/api'];
    other.forEach((url) => post(url));
    for (const url of other) expect(tokenOf(url), url).toBeNull();
    TestBed.inject(HttpClient).get(`${origin()}/api/read`).subscribe();
    expect(tokenOf(`${origin()}/api/read`)).toBeNull();
    post(`${origin()}/api/own`, { 'X-XSRF-TOKEN': 'mine' });
    expect(tokenOf(`${origin()}/api/own`)).toBe('mine');
    document.cookie = 'XSRF-TOKEN=; Max-Age=0; Path=/';
    post(`${origin()}/api/none`);
    expect(http.expectOne(`${origin()}/api/none`).request.headers.has('X-XSRF-TOKEN')).toBe(false);
  });

  it('leaves relative URLs to Angular (the same token, set once)', () => {
    document.cookie = `XSRF-TOKEN=${TOKEN}; Path=/`;
    http = setup();
    post('/api/visits');
    expect(http.expectOne('/api/visits').request.headers.getAll('X-XSRF-TOKEN')).toEqual([TOKEN]);
  });

  it('takes the names withXsrf() gives, and does nothing with withXsrf(false)', () => {
    document.cookie = `CSRF=${TOKEN}; Path=/`;
    http = setup({
      interceptors: [sessionXsrfInterceptor],
      providers: [provideSession(withXsrf({ cookieName: 'CSRF', headerName: 'X-CSRF' }))],
    });
    http.expectOne('/api/session').flush({ authenticated: false });
    post(`${origin()}/api/visits`);
    expect(tokenOf(`${origin()}/api/visits`, 'X-CSRF')).toBe(TOKEN);
    TestBed.resetTestingModule();
    http = setup({ interceptors: [sessionXsrfInterceptor], providers: [provideSession(withXsrf(false))] });
    http.expectOne('/api/session').flush({ authenticated: false });
    post(`${origin()}/api/visits`);
    expect(http.expectOne(`${origin()}/api/visits`).request.headers.has('X-CSRF')).toBe(false);
  });

  it('does nothing on the server (the forwarding interceptor sends the incoming token there)', () => {
    document.cookie = `XSRF-TOKEN=${TOKEN}; Path=/`;
    http = setup({ platform: 'server', interceptors: [sessionXsrfInterceptor] });
    post(`${origin()}/api/visits`);
    expect(tokenOf(`${origin()}/api/visits`)).toBeNull();
  });
});
