// Garbage collection seen from inside a bench server: pauses on the main thread by kind, and the heap in use,
// so a round can say how much of a request's CPU went to collecting (--one-process diagnosis, bench/README.md).
import { constants, PerformanceObserver } from 'node:perf_hooks';

const totals = { minorMs: 0, minor: 0, majorMs: 0, major: 0, otherMs: 0 };

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = entry.detail?.kind;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
      totals.minorMs += entry.duration;
      totals.minor++;
    } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      totals.majorMs += entry.duration;
      totals.major++;
    } else totals.otherMs += entry.duration;
  }
}).observe({ entryTypes: ['gc'] });

/** Main-thread GC pauses so far (ms and counts, scavenges apart from mark-compacts) and the heap in use (MB). */
export function gcStats() {
  return { ...totals, heapUsedMB: process.memoryUsage().heapUsed / 2 ** 20 };
}
