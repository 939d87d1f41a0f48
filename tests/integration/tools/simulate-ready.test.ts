import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PopView } from '@shared/contract/pop';
import type { DesktopBackend } from '../../../src-main/services/desktop-backend';
import { DEMO_TELEPHONY_KEY } from '../../../src-server/config';
import { NOBODY_READY } from '../../../src-server/tools/simulate-plan';
import { recordPops, value } from '../desktop-routing/helpers';
import { startDesktops, until } from '../../support/desktops';
import { freePort, ServerProcess } from '../../support/server-process';
import { makeTempDir } from '../../support/temp-dir';

/**
 * The quick start ends in a pop: `npm run simulate` asks the server who is
 * signed in and ready and calls in their languages, about what they take.
 * Everything real, over loopback: the routing server and the simulator are
 * processes of their own, and each agent is a real desktop backend.
 */
const ROOT = resolve(import.meta.dirname, '../../..');

interface Run { output: () => string; exited: Promise<number | null> }

function simulate(server: string | null, args: string[]): Run {
  let text = '';
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'src-server/tools/simulate.ts'), ...args, ...(server ? ['--server', server] : [])], { cwd: ROOT, env: process.env });
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { output: () => text, exited: new Promise((r) => child.once('exit', (code) => r(code))) };
}

async function callsArrived(server: ServerProcess): Promise<number> {
  const metrics = await (await fetch(new URL('/metrics', server.url))).text();
  return [...metrics.matchAll(/^holdfast_calls_arrived_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

async function readyIds(server: ServerProcess): Promise<string[]> {
  const response = await fetch(new URL('/api/routing/ready', server.url), { headers: { authorization: `Bearer ${DEMO_TELEPHONY_KEY}` } });
  return ((await response.json()) as { agents: Array<{ id: string }> }).agents.map((a) => a.id);
}

/** The call id simulate printed for its first call. */
function firstCallId(run: Run): string | undefined {
  return /^call 1\/\d+: (\S+)/m.exec(run.output())?.[1];
}

async function goReady(server: ServerProcess, desk: DesktopBackend, agentId: string): Promise<void> {
  value(await desk.invoke('presence.set', { presence: 'available' }));
  await until(async () => (await readyIds(server)).includes(agentId), 10_000, `${agentId} to be ready`);
}

describe('simulate calls the agents who are signed in and ready', () => {
  const data = makeTempDir('simulate-ready');
  let server: ServerProcess;
  const desktops: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    server = new ServerProcess(await freePort(), data.path, 150);
    await server.start();
  }, 120_000);
  afterAll(async () => {
    await Promise.all(desktops.map((d) => d.close()));
    await server.stop();
    data.remove();
  });

  it('with nobody ready, says so plainly and posts nothing', async () => {
    const run = simulate(server.url, ['--calls', '3', '--rate', '50', '--talk-seconds', '0']);
    expect(await run.exited).toBe(3);
    expect(run.output().trim()).toBe(NOBODY_READY);
    expect(await callsArrived(server)).toBe(0);
  });

  it('pops the call on the desktop of an English-only agent who is ready', async () => {
    const { backends: [tom] } = await startDesktops(server.url, ['tom']);
    desktops.push({ close: () => tom!.close() });
    const pops: PopView[] = recordPops(tom!);
    await goReady(server, tom!, 'A016');

    // A talk time of 1 s: the call, never answered, is abandoned then, and Tom is free again.
    const run = simulate(server.url, ['--calls', '1', '--talk-seconds', '1']);
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toMatch(/^ready: A016 \(en: billing, general\)$/m);
    expect(run.output()).toMatch(/^call 1\/1: \S+ customer \S+ \(en, (billing|general)\)$/m);
    expect(run.output()).toMatch(/posted 1 of 1 calls/);
    await until(() => pops.length > 0, 15_000, 'the pop on Tom\'s desktop');
    expect(pops[0]!.call.id).toBe(firstCallId(run));
    expect(pops[0]!.call.language).toBe('en');
    expect(pops[0]!.customer).not.toBeNull();
    expect(await callsArrived(server)).toBe(1);
    value(await tom!.invoke('presence.set', { presence: 'away' }));
    await until(async () => (await readyIds(server)).length === 0, 10_000, 'Tom to be away');
  });

  it('with --wait, waits for an agent to go ready, then pops the call', async () => {
    const { backends: [grace] } = await startDesktops(server.url, ['grace']);
    desktops.push({ close: () => grace!.close() });
    const pops = recordPops(grace!);
    const run = simulate(server.url, ['--calls', '1', '--talk-seconds', '0', '--wait', '60']);
    await until(() => /waiting up to 60s for an agent to sign in and press Go ready/.test(run.output()), 20_000, 'simulate to say it waits');
    expect(await callsArrived(server)).toBe(1);
    await goReady(server, grace!, 'A010');
    expect(await run.exited, run.output()).toBe(0);
    // Grace takes retention calls only: a cancellation or plan change in English.
    expect(run.output()).toMatch(/^call 1\/1: \S+ \S+ \S+ \(en, (cancellation|plan_change|general)\)$/m);
    await until(() => pops.length > 0, 15_000, 'the pop on Grace\'s desktop');
    expect(pops[0]!.call.id).toBe(firstCallId(run));
  });

  it('with --language nobody ready speaks, says why those calls wait', async () => {
    const before = await callsArrived(server);
    const run = simulate(server.url, ['--calls', '1', '--talk-seconds', '0', '--language', 'zh']);
    expect(await run.exited, run.output()).toBe(0);
    expect(run.output()).toMatch(/warning: No ready agent takes calls in zh \(ready: A010 \(en: [a-z_, ]+\)\): these calls will wait in the queue until an agent who speaks zh presses Go ready/);
    expect(run.output()).toMatch(/\(zh, [a-z_]+\)/);
    expect(await callsArrived(server)).toBe(before + 1);
  });

  it('says plainly when it cannot reach the server', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const run = simulate(nowhere, ['--calls', '1']);
    expect(await run.exited).toBe(1);
    expect(run.output().trim()).toBe(`Cannot reach the routing server at ${nowhere}: is it running (./holdfast start)? Another address: --server URL`);
  });

  it('names a bad flag', async () => {
    for (const [args, named] of [
      [['--language', 'xx'], /simulate: --language: not a language Holdfast routes \(one of en, he, ru, zh, ar, es\)/],
      [['--wait', 'soon'], /simulate: --wait: /],
      [['--wait=-5'], /simulate: --wait: /],
      [['--calls', '0'], /simulate: --calls: /],
      [['--colour', 'red'], /simulate: Unknown option '--colour'/],
    ] as const) {
      const run = simulate(null, [...args]);
      expect(await run.exited, args.join(' ')).toBe(2);
      expect(run.output()).toMatch(named);
      expect(run.output()).toMatch(/Usage: npm run simulate -- .*--language CODE.*--wait SECONDS/);
      expect(run.output()).not.toMatch(/at .*\.ts:\d+/);
    }
  });
});
