// Every guarantee of one Redis, on a real local Redis Cluster (3 masters on free ports, started and stopped
// by the suite): the store conformance suite, and two server processes sharing the cluster.
import { fileURLToPath } from 'node:url';
import { describeSessionStore } from './support/describe-session-store';
import { describeTwoInstances } from './support/describe-two-instances';
import { redisClusterStore, startCluster } from './support/cluster-store';
import { spawnTestServer } from './support/spawn-test-server';

const CLUSTER_SERVER = fileURLToPath(new URL('./support/cluster-session-server.ts', import.meta.url));

describeSessionStore('redis cluster', redisClusterStore);

describeTwoInstances('one Redis Cluster', async () => {
  const cluster = await startCluster();
  return { spawn: () => spawnTestServer(CLUSTER_SERVER, { REDIS_CLUSTER: cluster.ports.join(',') }), stop: () => cluster.stop() };
});
