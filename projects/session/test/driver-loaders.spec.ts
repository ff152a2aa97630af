// createUnstorageStore() loads drivers through a generated table of literal imports (stores/driver-loaders.ts):
// one entry per built-in driver name of both unstorage majors, each importing that driver's own path (a literal
// import() where every major has the driver).
import { readFileSync } from 'node:fs';
import { builtinDrivers as drivers1 } from 'unstorage';
import { builtinDrivers as drivers2 } from 'unstorage2';
import { describe, expect, it } from 'vitest';
import { createUnstorageStore } from '../src/index';
import { DRIVER_LOADERS as WORKER_DRIVER_LOADERS, fallbackLoader as workerFallbackLoader } from '../src/stores/worker-driver-loaders';

const source = readFileSync(new URL('../src/stores/driver-loaders.ts', import.meta.url), 'utf8');
const loaders = new Map(
  [...source.matchAll(/^ {2}'?([\w-]+)'?: \(\) => (?:import|byPath)\('([^']+)'\)/gm)].map(([, name, path]) => [name, path]),
);

describe.each([
  ['unstorage 1', drivers1],
  ['unstorage 2', drivers2],
])('the driver loaders cover %s', (_, builtinDrivers: Record<string, string>) => {
  it.each(Object.entries(builtinDrivers))('%s', (name, path) => {
    expect(loaders.get(name)).toBe(path);
  });
});

it('names the package a driver needs when it is not installed', async () => {
  const created = createUnstorageStore({
    type: 'mongodb',
    options: { connectionString: 'mongodb://127.0.0.1:1', databaseName: 'db', collectionName: 'sessions' },
  });
  await expect(created).rejects.toMatchObject({
    code: 'STORAGE_ERROR',
    message: expect.stringContaining("the 'mongodb' driver needs the 'mongodb' package. Install it: npm install mongodb"),
  });
});

describe('the driver table of the Workers build (stores/worker-driver-loaders.ts)', () => {
  it('loads the drivers that run on Workers, each from the path the full table imports', async () => {
    const names = Object.keys(WORKER_DRIVER_LOADERS);
    expect(names).toEqual(expect.arrayContaining(['cloudflare-kv-binding', 'cloudflare-r2-binding', 'memory', 'http']));
    expect(names.filter((name) => /redis|fs|mongodb|upstash/i.test(name))).toEqual([]);
    for (const name of names) expect(WORKER_DRIVER_LOADERS[name]!.toString()).toContain(`${loaders.get(name)}.mjs`);
    expect(typeof (await WORKER_DRIVER_LOADERS['memory']!()).default).toBe('function');
  });

  it('refuses any other driver, saying which run on Workers and how to use another', async () => {
    const refused = workerFallbackLoader('redis', 'unstorage/drivers/redis')();
    await expect(refused).rejects.toThrowError(/Workers build .* \(cloudflare-kv-binding, .*\), not 'redis'\./);
    await expect(refused).rejects.toThrowError(
      "createStorage({ driver: driver({ ... }) }) with import driver from 'unstorage/drivers/redis'",
    );
  });
});
