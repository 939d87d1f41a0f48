import { join } from 'node:path';
import type { CallOffer } from '@shared/contract/server-socket';
import type { DesktopBackend } from '../../src-main/services/desktop-backend';
import { createDesktopBackend } from '../../src-main/services/create-backend';
import { FileKeyProvider } from '../../src-main/services/key-provider';
import { makeTempDir } from './temp-dir';

/** Simulated desktops: real DesktopBackends, each with its own encrypted cache folder. */
export async function startDesktops(serverUrl: string, usernames: string[]): Promise<{ backends: DesktopBackend[]; close(): Promise<void> }> {
  const dirs = usernames.map((u) => makeTempDir(`desk-${u}`));
  const backends = usernames.map((_, i) => createDesktopBackend({ serverUrl, dataDir: dirs[i]!.path, keys: new FileKeyProvider(join(dirs[i]!.path, 'cache.key')) }));
  // Log in ten at a time, as a shift's desktops start over minutes rather than in one instant.
  for (let start = 0; start < backends.length; start += 10) {
    await Promise.all(backends.slice(start, start + 10).map(async (backend, offset) => {
      await signInAndSync(backend, usernames[start + offset]!, 120_000);
    }));
  }
  return {
    backends,
    async close() {
      await Promise.all(backends.map((b) => b.close()));
      dirs.forEach((d) => d.remove());
    },
  };
}

/** Signs a demo user in on a desktop backend and waits until its cache has synced and it is online. */
export async function signInAndSync(backend: DesktopBackend, username: string, timeoutMs = 60_000): Promise<void> {
  const login = await backend.invoke('session.login', { username, password: 'demo' });
  if (!login.ok) throw new Error(`login failed for ${username}: ${login.error.message}`);
  await until(async () => {
    const status = await backend.invoke('status.get', {});
    return status.ok && status.value.sync.phase === 'ready' && status.value.connection === 'online';
  }, timeoutMs, `${username}'s desktop to sync`);
}

export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function pendingOutbox(backend: DesktopBackend): Promise<number> {
  const status = await backend.invoke('status.get', {});
  return status.ok ? status.value.outboxPending : Number.POSITIVE_INFINITY;
}

/** An offer as the server would push it, for a customer the test picks: the pop it opens shows what the cache holds. */
export function syntheticOffer(customerId: string, callId: string): CallOffer {
  return {
    call: { id: callId, callerNumber: '+10000000000', accountId: null, language: 'en', intent: 'cancellation', customerId, state: 'offered', agentId: null, createdAt: new Date().toISOString(), answeredAt: null, endedAt: null, priority: 0 },
    reservationDeadline: Date.now() + 15_000,
    match: { method: 'phone', confidence: 0.9, candidates: [{ customerId, confidence: 0.9 }] },
  };
}
