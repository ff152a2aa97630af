// `bench/run.mjs --one-process`: several bench servers in ONE process, as a real app serves every route from one
// process. Each keeps its own app and its own loopback port (so every route gets exactly the request bytes it
// gets in its own process); what they share is the process: its JIT, its heap and GC, its event loop.
// BENCH_SERVER holds the list [{ id, server, config }]; the parent gets { ready, ports: { id: port } } and asks
// for request counts per id.
import { standalone } from './serve.mjs';

/** @param {Array<{ id: string, server: string, config: import('./serve.mjs').ServerConfig }>} list */
async function startAll(list) {
  const servers = new Map();
  for (const { id, server, config } of list) {
    const { start } = await import(`./${server}`);
    servers.set(id, await start(config));
  }
  return servers;
}

await standalone(import.meta.url, startAll);
