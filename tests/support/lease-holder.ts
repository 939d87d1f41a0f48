/**
 * A routing lease held in a process of its own, for the lease tests: the test
 * stalls this process's main thread (as a storm of reconnecting desktops, or a
 * hung loop, would) and watches the lease from outside it.
 *
 * argv[2]: JSON {databaseUrl, nodeId, leaseMs, watchdogMs}. stdin: {"cmd":"block","ms":N} runs a busy loop for N ms.
 * Prints JSON lines: {"ev":"acquired","token"}, {"ev":"lost","reason"}, {"ev":"blocked","ms"}.
 */
import { createInterface } from 'node:readline';
import pg from 'pg';
import pino from 'pino';
import { RoutingLease } from '../../src-server/cluster/lease';
import { postgresPoolConfig } from '../../src-server/store/postgres-store';

const { databaseUrl, nodeId, leaseMs, watchdogMs } = JSON.parse(process.argv[2] ?? '{}') as { databaseUrl: string; nodeId: string; leaseMs: number; watchdogMs: number };
const out = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
const config = postgresPoolConfig(databaseUrl, { maxConnections: 1 });
const pool = new pg.Pool(config);
pool.on('error', () => undefined);
const lease = new RoutingLease(pool, pool, { group: 'all-queues', nodeId, url: `http://${nodeId}.invalid`, leaseMs, watchdogMs, keeperPool: config }, {
  acquired: (token) => out({ ev: 'acquired', token }),
  lost: (reason) => out({ ev: 'lost', reason }),
  keeperEnded: (reason) => out({ ev: 'keeper-ended', reason }),
}, pino({ level: 'silent' }));
lease.start();

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as { cmd: string; ms?: number };
  if (command.cmd === 'block') {
    const until = performance.now() + (command.ms ?? 0);
    // A main thread that does not come back to its event loop: no timer, no I/O callback runs here meanwhile.
    while (performance.now() < until);
    out({ ev: 'blocked', ms: command.ms, held: lease.held() });
  }
});
