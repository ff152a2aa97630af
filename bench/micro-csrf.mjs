// `node bench/micro-csrf.mjs [dist/session/index.js]`: what `config.csrf` costs the session layer per request, without
// HTTP: useSession on synthetic h3 v1 events, 32 stored sessions on the memory store, csrf off and on, in interleaved
// rounds; median process CPU µs per request. Reads are GETs carrying the session and token cookies (what a browser
// sends once it has both); writes are same-origin POSTs with the X-XSRF-TOKEN header, then updateSession.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { H3Event } from 'h3';
import { createStorage } from 'unstorage';
import { median } from './lib/stats.mjs';

const lib = await import(pathToFileURL(resolve(process.argv[2] ?? 'dist/session/index.js')).href);
const socket = new Socket();
const ev = (cookie, method = 'GET', headers = {}) => {
  const req = new IncomingMessage(socket);
  req.method = method;
  req.url = '/';
  req.headers = { host: '127.0.0.1:3000', cookie, ...headers };
  return new H3Event(req, new ServerResponse(req));
};
async function setup(csrf) {
  const config = { store: createStorage(), secret: 'bench-secret-bench-secret-bench-secret-0123456789', cookie: { secure: false }, csrf };
  const clients = [];
  for (let i = 0; i < 32; i++) {
    const e = ev(undefined, 'POST', { origin: 'http://127.0.0.1:3000' });
    await lib.useSession(e, config);
    await lib.updateSession(e, () => ({ n: 0 }));
    const set = [e.node.res.getHeader('set-cookie')].flat().map(String);
    const session = set[0].split(';')[0];
    const token = set.find((c) => c.startsWith('XSRF-TOKEN='))?.split(';')[0];
    clients.push({ cookie: token ? `${session}; ${token}` : session, token: token?.split('=')[1] });
  }
  const run = async (write) => {
    const start = process.cpuUsage();
    for (let i = 0; i < 20000; i += 32)
      await Promise.all(
        clients.map(async ({ cookie, token }) => {
          const e = write ? ev(cookie, 'POST', { origin: 'http://127.0.0.1:3000', 'x-xsrf-token': token ?? '' }) : ev(cookie);
          await lib.useSession(e, config);
          if (write) await lib.updateSession(e, (d) => ({ n: (d.n ?? 0) + 1 }));
        }),
      );
    const u = process.cpuUsage(start);
    return (u.user + u.system) / 20000;
  };
  return { name: csrf ? 'csrf on ' : 'csrf off', run, read: [], write: [] };
}
const s = [await setup(false), await setup(true)];
for (const x of s) await x.run(true);
for (let r = 0; r < 7; r++)
  for (const x of s) {
    x.read.push(await x.run(false));
    x.write.push(await x.run(true));
  }
for (const x of s) console.log(x.name, 'read', median(x.read).toFixed(2), 'µs  write (POST)', median(x.write).toFixed(2), 'µs');
