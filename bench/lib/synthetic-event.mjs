// Synthetic h3 events for the in-process tools (micro-write.mjs, micro-cold.mjs): the session layer's own cost
// measured on Node's real request and response objects, without a socket or HTTP parsing.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { H3Event } from 'h3';

const socket = new Socket();

/** A GET / event, with `cookie` as its Cookie header when given. */
export function syntheticEvent(cookie) {
  const req = new IncomingMessage(socket);
  req.method = 'GET';
  req.url = '/';
  req.headers = cookie ? { cookie } : {};
  return new H3Event(req, new ServerResponse(req));
}

/**
 * `count` stored sessions made through `lib` (a build of the package) with `config`, session i holding `data(i)`:
 * the `name=value` part of each one's Set-Cookie, in order.
 */
export async function storedSessionCookies(lib, config, count, data) {
  const cookies = [];
  for (let i = 0; i < count; i++) {
    const e = syntheticEvent();
    await lib.useSession(e, config);
    await lib.updateSession(e, () => data(i));
    cookies.push(String(e.node.res.getHeader('set-cookie')).split(';')[0]);
  }
  return cookies;
}
