// A session store on a real local Redis Cluster, created the way a user would:
// createStorage({ driver: redisDriver({ cluster: [...] }) }).
import { createStorage, joinKeys, type Driver, type Storage } from 'unstorage';
import redisDriver from 'unstorage/drivers/redis';
import type { Cluster } from 'ioredis';
// @ts-expect-error plain ESM helper shared with e2e/ and bench/
import { startRedisCluster } from '../../../../tools/redis-cluster.mjs';
import type { StoreUnderTest } from './stores';

export interface ClusterNode {
  host: string;
  port: number;
}

export interface RedisClusterUnderTest {
  nodes: ClusterNode[];
  ports: number[];
  topology(): Promise<
    { id: string; port: number; role: 'master' | 'replica'; masterId: string | null; failed: boolean; slots: string[] }[]
  >;
  kill(port: number): Promise<void>;
  waitForState(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export const startCluster = (
  options: { masters?: number; replicas?: number; nodeTimeoutMs?: number; args?: string[] } = {},
): Promise<RedisClusterUnderTest> => startRedisCluster(options);

/**
 * The test harness lists and clears keys through unstorage: its redis driver SCANs one random node of a
 * cluster and UNLINKs all keys in one command (CROSSSLOT). Only these two test-side calls are made to visit
 * every master; the session store itself uses the driver as it is.
 */
function everyMaster(driver: Driver): Driver {
  const cluster = () => driver.getInstance!() as Cluster;
  const base = ((driver.options as { base?: string }).base ?? '').replace(/:$/, '');
  const scanAll = async (match: string) => {
    const client = cluster();
    // The master list is known once the client has loaded the slot map.
    if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
    const keys: string[] = [];
    for (const node of client.nodes('master')) {
      let cursor = '0';
      do {
        const [next, found] = await node.scan(cursor, 'MATCH', match, 'COUNT', 1000);
        cursor = next;
        keys.push(...found);
      } while (cursor !== '0');
    }
    return keys;
  };
  const pattern = (prefix: string) => {
    const joined = joinKeys(base, prefix ?? '');
    return joined ? `${joined}:*` : '*';
  };
  const strip = (key: string) => (base ? key.slice(base.length + 1) : key);
  return {
    ...driver,
    getKeys: async (prefix) => (await scanAll(pattern(prefix))).map(strip),
    clear: async (prefix) => {
      await Promise.all((await scanAll(pattern(prefix))).map((key) => cluster().unlink(key)));
    },
  };
}

export function clusterStorage(nodes: ClusterNode[], options: Record<string, unknown> = {}): Storage<any> {
  return createStorage({ driver: everyMaster(redisDriver({ cluster: nodes, ...options })) });
}

export async function redisClusterStore(): Promise<StoreUnderTest> {
  const cluster = await startCluster();
  const store = clusterStorage(cluster.nodes);
  return {
    store,
    hashTags: true,
    dispose: async () => {
      await store.dispose();
      await cluster.stop();
    },
  };
}
