import { scryptSync, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_AGENTS } from '@shared/demo-data/agents';
import { passwordWork } from '../../../src-server/auth/passwords';
import { resolveServerConfig } from '../../../src-server/config';
import { startRoutingServer } from '../../../src-server/routing-server';
import { api } from '../../support/stack';
import { makeTempDir } from '../../support/temp-dir';

const dirs: Array<{ remove(): void }> = [];
function tempDir(): string {
  const dir = makeTempDir('accounts-demo');
  dirs.push(dir);
  return dir.path;
}
afterAll(() => dirs.forEach((d) => d.remove()));

const base = { port: 0, demoCustomers: 20, demoAsOf: '2026-11-20', logLevel: 'silent' as const };

describe('demo mode', () => {
  it('is on by default only on a loopback host, and refused on any other', () => {
    expect(resolveServerConfig({ dataDir: tempDir() }).demo).toBe(true);
    expect(resolveServerConfig({ dataDir: tempDir(), host: '::1' }).demo).toBe(true);
    expect(resolveServerConfig({ dataDir: tempDir(), host: '0.0.0.0' }).demo).toBe(false);
    expect(resolveServerConfig({ dataDir: tempDir(), host: '10.1.2.3', demo: false }).demo).toBe(false);
    expect(() => resolveServerConfig({ dataDir: tempDir(), host: '0.0.0.0', demo: true })).toThrow(/HOLDFAST_DEMO.*not a loopback address/);
  });

  it('a server on a non-loopback host in demo mode does not start', async () => {
    await expect(startRoutingServer({ ...base, dataDir: tempDir(), host: '0.0.0.0', demo: true })).rejects.toThrow(/HOLDFAST_DEMO/);
  });

  it('with demo off no demo user is seeded, and demo accounts left in the store cannot sign in', async () => {
    // A fresh store with demo off has no demo accounts at all.
    const fresh = await startRoutingServer({ ...base, dataDir: tempDir(), demo: false });
    try {
      expect(await fresh.store.listAgents()).toEqual([]);
      const info = await api(fresh, 'GET', '/api/info');
      expect(info.body.demoUsers).toEqual([]);
      expect((await api(fresh, 'POST', '/api/auth/login', { username: 'rachel', password: 'demo' }, '')).status).toBe(401);
    } finally {
      await fresh.close();
    }
    // A store once run in demo mode keeps its rows, but the published password opens nothing once demo is off.
    const dataDir = tempDir();
    const demo = await startRoutingServer({ ...base, dataDir });
    expect((await api(demo, 'POST', '/api/auth/login', { username: 'rachel', password: 'demo' }, '')).status).toBe(200);
    await demo.close();
    const off = await startRoutingServer({ ...base, dataDir, demo: false });
    try {
      for (const username of ['rachel', 'ava']) {
        expect((await api(off, 'POST', '/api/auth/login', { username, password: 'demo' }, '')).status).toBe(401);
      }
    } finally {
      await off.close();
    }
  });
});

describe('password checks', () => {
  it('an unknown user name costs one scrypt verification, as a known one does', async () => {
    const server = await startRoutingServer({ ...base, dataDir: tempDir() });
    try {
      let before = passwordWork.verifications;
      expect((await api(server, 'POST', '/api/auth/login', { username: 'nobody-here', password: 'x' }, '')).status).toBe(401);
      expect(passwordWork.verifications - before).toBe(1);
      before = passwordWork.verifications;
      expect((await api(server, 'POST', '/api/auth/login', { username: 'ava', password: 'wrong' }, '')).status).toBe(401);
      expect(passwordWork.verifications - before).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('hashes at scrypt N=2^17 and re-hashes an old hash on a successful sign-in', async () => {
    const server = await startRoutingServer({ ...base, dataDir: tempDir() });
    try {
      const ava = DEMO_AGENTS.find((a) => a.username === 'ava')!;
      expect((await server.store.agentByUsername('ava'))!.passwordHash).toMatch(/^scrypt\$17\$8\$1\$/);
      // The format before the cost was named: Node's default scrypt (N=2^14).
      const salt = randomBytes(16);
      const legacy = `scrypt$${salt.toString('base64')}$${scryptSync('demo', salt, 32).toString('base64')}`;
      const { password: _password, ...agent } = ava;
      await server.store.upsertAgent(agent, legacy);
      expect((await api(server, 'POST', '/api/auth/login', { username: 'ava', password: 'demo' }, '')).status).toBe(200);
      expect((await server.store.agentByUsername('ava'))!.passwordHash).toMatch(/^scrypt\$17\$8\$1\$/);
    } finally {
      await server.close();
    }
  });
});
