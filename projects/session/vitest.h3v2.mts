import { sessionProject } from './vitest.shared.mts';

// The integration suites again on h3 v2 (test/support/h3-app.ts): through `app.fetch` with no `event.node`, and on
// srvx with one. Events with a foreign `event.node` (Nuxt 5's compatibility shape) run the suites about headers.
const ALL = [
  'test/cookie-tossing.spec.ts',
  'test/csrf.spec.ts',
  'test/faults.spec.ts',
  'test/fresh-session.spec.ts',
  'test/h3-hosts.spec.ts',
  'test/h3-integration.spec.ts',
  'test/legacy-adoption.spec.ts',
  'test/lifecycle-events.spec.ts',
  'test/prune-user-indexes.spec.ts',
  'test/redis-cluster.spec.ts',
  'test/redis-instances.spec.ts',
  'test/redis.spec.ts',
  'test/revoke-prefix.spec.ts',
  'test/session-expiry-summary.spec.ts',
  'test/session-labels.spec.ts',
  'test/tightened-config.spec.ts',
  'test/upstream-migration.spec.ts',
  'test/v003-compat.spec.ts',
  'test/reliability/cluster-failover.spec.ts',
  'test/reliability/concurrency.spec.ts',
  'test/reliability/fs-atomic.spec.ts',
  'test/reliability/fs-failures.spec.ts',
  'test/reliability/hostile-cookies.spec.ts',
  'test/reliability/hostile-data.spec.ts',
  'test/reliability/storage-outage.spec.ts',
];
const HEADERS = ['test/cookie-tossing.spec.ts', 'test/csrf.spec.ts', 'test/h3-hosts.spec.ts', 'test/h3-integration.spec.ts'];

const flavor = (name: string, include: string[]) => sessionProject(`session-${name}`, include, { H3_FLAVOR: name });

export default [flavor('h3v2-fetch', ALL), flavor('h3v2-srvx', ALL), flavor('h3v2-node-shim', HEADERS)];
