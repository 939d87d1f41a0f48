import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallState } from '@shared/contract/desktop-api';
import { createDesktopBackend } from '../../../src-main/services/create-backend';
import type { DesktopBackend } from '../../../src-main/services/desktop-backend';
import { FileKeyProvider } from '../../../src-main/services/key-provider';
import type { RunningServer } from '../../../src-server/routing-server';
import { syntheticOffer, until } from '../../support/desktops';
import { startServer } from '../../support/stack';
import { makeTempDir } from '../../support/temp-dir';

/**
 * An agent may go ready before the first cold sync has filled the cache. A
 * call that rings then is painted from what the server sends for its caller;
 * the script and offers (which ride on the snapshot) must follow into the pop
 * on screen when the cache is filled, without another call or feed change.
 */
describe('the pop on screen follows the cache as it fills', () => {
  let server: RunningServer;
  let removeServer: () => void;
  let backend: DesktopBackend;
  const dir = makeTempDir('pop-follows');

  beforeAll(async () => {
    ({ server, remove: removeServer } = await startServer({ demoCustomers: 150 }));
    backend = createDesktopBackend({ serverUrl: server.url, dataDir: dir.path, keys: new FileKeyProvider(join(dir.path, 'cache.key')) });
  });
  afterAll(async () => {
    await backend.close();
    await server.close();
    removeServer();
    dir.remove();
  });

  it('gives a call that rang before the cold sync its script and offers when the sync completes', async () => {
    const states: CallState[] = [];
    backend.on('call.changed', (state) => states.push(state));
    const customer = (await server.store.snapshotPage(null, 5)).customers[0]!;
    const login = await backend.invoke('session.login', { username: 'ava', password: 'demo' });
    expect(login.ok).toBe(true);
    // Straight after sign-in the cache is empty: the cold sync has not run yet.
    backend.receiveOffer(syntheticOffer(customer.id, 'CALL-EARLY'));
    expect(states[0]?.current?.pop.script).toBeNull();

    await until(() => states.at(-1)?.current?.pop.script != null, 20_000, 'the script in the pop on screen');
    const pop = states.at(-1)!.current!.pop;
    expect(pop.call.id).toBe('CALL-EARLY');
    expect(pop.customer?.id).toBe(customer.id);
    expect(pop.offers.length).toBeGreaterThan(0);
    // Each state is newer than the one before: the renderer keeps the last.
    for (let i = 1; i < states.length; i++) expect(states[i]!.version).toBeGreaterThan(states[i - 1]!.version);
    expect(backend.contractViolations).toEqual([]);
  });
});
