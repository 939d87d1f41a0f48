import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) };

/**
 * Integration files whose checks depend on having the machine to themselves: fault injection with
 * many processes (cluster, faults), and measurements of latency or of where work runs. They run one
 * at a time, after the rest.
 */
const ALONE = [
  'tests/integration/cluster/**/*.test.ts',
  'tests/integration/faults/**/*.test.ts',
  'tests/integration/identity-server/identity-off-main-thread.test.ts',
  'tests/integration/identity-incremental/consistency.test.ts',
  'tests/integration/routing/joint.test.ts',
  'tests/integration/routing/invariants.test.ts',
  'tests/integration/server/desktop-trust.test.ts',
];

// The machine has two cores. Most files wait on sockets, child processes and timers more than they
// compute, so two at a time nearly halves the run; the files in ALONE and the browser tests then run
// one at a time (projects of one groupOrder must share a worker count, so each pace has its own group).
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        // Generous timeouts: model fits are CPU-bound, and CI shares two cores between test files.
        // Pure modules: one worker runs many files (isolate: false), so each file does not pay a fresh worker's start.
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node', testTimeout: 60_000, isolate: false, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: ALONE,
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration-alone',
          include: ALONE,
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 90_000,
          // One browser at a time.
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
