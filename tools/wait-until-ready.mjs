// Waits for a throw-away database server the tests started (postgres-server.mjs, mariadb-server.mjs) to accept
// connections, with what it printed on stderr in the error when it does not.

/**
 * Resolves once `ready()` (a client's probe, synchronous) stops throwing. Rejects with the server's stderr when `child`
 * (spawned with stderr piped) exits first, or after 20 s.
 * @param {import('node:child_process').ChildProcess} child
 * @param {string} name  the server's program, for the message
 * @param {number} port
 * @param {() => unknown} ready
 */
export async function waitUntilReady(child, name, port, ready) {
  let log = '';
  child.stderr?.on('data', (chunk) => (log += chunk.toString()));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}: ${log}`);
    try {
      ready();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${name} did not accept connections on port ${port} within 20 s: ${log}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
