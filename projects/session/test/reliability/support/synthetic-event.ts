// H3 events without a server, for tests that create sessions by the hundred thousand: real Node request
// and response objects, so h3's cookie helpers behave exactly as in a server.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { H3Event } from 'h3';

const socket = new Socket();

/** An event for a GET request carrying `cookie` (if any). */
export function syntheticEvent(cookie?: string): H3Event {
  const req = new IncomingMessage(socket);
  req.method = 'GET';
  req.url = '/';
  req.headers = cookie ? { cookie } : {};
  return new H3Event(req, new ServerResponse(req));
}

/** The Set-Cookie headers the session layer put on the event's response. */
export function setCookies(event: H3Event): string[] {
  const header = event.node.res.getHeader('set-cookie');
  return header === undefined ? [] : Array.isArray(header) ? header : [String(header)];
}
