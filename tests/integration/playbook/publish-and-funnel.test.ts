import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallState } from '@shared/contract/desktop-api';
import type { InvokeResult } from '@shared/contract/desktop/errors';
import type { Playbook } from '@shared/domain/playbook';
import type { DesktopBackend } from '../../../src-main/services/desktop-backend';
import type { RunningServer } from '../../../src-server/routing-server';
import { startDesktops, syntheticOffer, until } from '../../support/desktops';
import { api, login, startServer } from '../../support/stack';

function value<T>(result: InvokeResult<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/**
 * A supervisor publishes a new playbook version from the app; it reaches an
 * agent's desktop through the change feed over a real socket.io connection
 * and repaints the script on the pop. The server refuses agents, and a
 * wrap-up's script path lands in the supervisor's funnel.
 */
describe('publishing a playbook and counting where calls stop', () => {
  let server: RunningServer;
  let removeServer: () => void;
  let ava: DesktopBackend;
  let rachel: DesktopBackend;
  let closeDesktops: () => Promise<void>;
  const avaStates: CallState[] = [];

  beforeAll(async () => {
    ({ server, remove: removeServer } = await startServer({ demoCustomers: 150, reservationTimeoutMs: 30_000 }));
    const desks = await startDesktops(server.url, ['ava', 'rachel']);
    [ava, rachel] = desks.backends as [DesktopBackend, DesktopBackend];
    closeDesktops = desks.close;
    ava.on('call.changed', (state) => avaStates.push(state));
  });

  afterAll(async () => {
    await closeDesktops?.();
    await server?.close();
    removeServer?.();
  });

  it('refuses agents on the server, whether through the desktop or straight over HTTP', async () => {
    const load = await ava.invoke('playbook.load', {});
    expect(load.ok).toBe(false);
    if (!load.ok) expect(load.error.message).toMatch(/supervisor/);
    const publish = await ava.invoke('playbook.publish', { baseVersion: 1, playbook: {} });
    expect(publish.ok).toBe(false);
    const { token } = await login(server, 'ava');
    expect((await api(server, 'PUT', '/api/playbook', { baseVersion: 1, playbook: {} }, token)).status).toBe(403);
    expect((await api(server, 'GET', '/api/playbook/funnel', undefined, token)).status).toBe(403);
    expect((await server.store.playbook())?.version).toBe(1);
  });

  it('records the step a real call reached with its wrap-up, and counts it in the funnel', async () => {
    const page = await server.store.snapshotPage(null, 300);
    const scored = new Set(page.scores.map((s) => s.customerId));
    const customer = page.customers.find((c) => c.language === 'en' && c.phones.length > 0 && scored.has(c.id))!;
    value(await ava.invoke('presence.set', { presence: 'available' }));
    const posted = await api(server, 'POST', '/api/calls', { callerNumber: customer.phones[0], language: 'en', intent: 'cancellation' });
    expect(posted.status).toBe(201);
    const callId = posted.body.callId as string;
    await until(() => avaStates.at(-1)?.current?.pop.call.id === callId && avaStates.at(-1)?.current?.pop.script != null, 20_000, 'the call with its script');
    value(await ava.invoke('call.accept', { callId }));
    const script = avaStates.at(-1)!.current!.pop.script!;
    // The agent follows the script: the customer wants to cancel now, then leaves anyway.
    value(await ava.invoke('call.scriptAnswer', { callId, answerId: 'cancel-now' }));
    expect(avaStates.at(-1)!.current!.pop.script!.path).toEqual(['opening', 'last-chance']);
    value(await ava.invoke('call.scriptAnswer', { callId, answerId: 'leaves' }));
    expect(avaStates.at(-1)!.current!.pop.script!.ended).toEqual({ answerId: 'leaves', outcome: 'lost' });
    value(await ava.invoke('call.hangUp', { callId }));
    value(await ava.invoke('wrapUp.save', {
      callId, customerId: customer.id, disposition: 'churned', offerId: null, offerOutcome: 'no_offer', notes: 'Left for a cheaper provider.', summary: 'Churned.',
    }));
    await until(async () => (await server.store.recentOutcomes(10)).some((o) => o.callId === callId), 15_000, 'the outcome on the server');
    const outcome = (await server.store.recentOutcomes(10)).find((o) => o.callId === callId)!;
    expect(outcome.script).toEqual({ scriptId: script.scriptId, version: 1, path: ['opening', 'last-chance'] });

    const funnel = value(await rachel.invoke('playbook.funnel', {}));
    const row = funnel.funnels.find((f) => f.scriptId === script.scriptId)!;
    expect(row.calls).toBe(1);
    expect(row.steps).toEqual([
      { stepId: 'opening', reached: 1, lost: 0, saved: 0 },
      { stepId: 'last-chance', reached: 1, lost: 1, saved: 0 },
    ]);
  });

  it('publishes a new version from the supervisor’s desktop that repaints the script on the agent’s pop', async () => {
    const customer = (await server.store.snapshotPage(null, 5)).customers[0]!;
    ava.receiveOffer(syntheticOffer(customer.id, 'CALL-ON-SCREEN'));
    await until(() => avaStates.at(-1)?.current?.pop.script != null && avaStates.at(-1)?.current?.pop.call.id === 'CALL-ON-SCREEN', 10_000, 'a pop with a script');
    const shown = avaStates.at(-1)!.current!.pop.script!;
    expect(shown.version).toBe(1);

    const loaded = value(await rachel.invoke('playbook.load', {}));
    const draft = structuredClone(loaded.playbook) as Playbook;
    const edited = draft.scripts.find((s) => s.id === shown.scriptId)!;
    edited.steps[0]!.title = { ...edited.steps[0]!.title, en: 'Open warmly' };

    // A broken edit is refused with the step named, and nothing is stored.
    const broken = structuredClone(draft);
    broken.scripts.find((s) => s.id === shown.scriptId)!.steps[0]!.answers[0]!.next = 'nowhere';
    const refused = value(await rachel.invoke('playbook.publish', { baseVersion: 1, playbook: broken }));
    expect(refused.status).toBe('invalid');
    if (refused.status === 'invalid') expect(refused.problems[0]).toMatchObject({ script: shown.scriptId, step: 'opening', field: 'answers[0].next' });
    expect((await server.store.playbook())?.version).toBe(1);

    const published = value(await rachel.invoke('playbook.publish', { baseVersion: 1, playbook: draft }));
    expect(published.status).toBe('published');
    if (published.status === 'published') expect(published.playbook).toMatchObject({ version: 2, publishedBy: expect.any(String) });
    // An editor still on version 1 is told someone published meanwhile.
    expect(value(await rachel.invoke('playbook.publish', { baseVersion: 1, playbook: draft }))).toEqual({ status: 'conflict', currentVersion: 2 });

    await until(() => avaStates.at(-1)?.current?.pop.script?.version === 2, 15_000, 'version 2 on the agent’s pop');
    const repainted = avaStates.at(-1)!.current!.pop.script!;
    expect(repainted.steps[0]!.title).toBe('Open warmly');
    expect(repainted.path).toEqual(shown.path);
    expect(value(await rachel.invoke('playbook.load', {})).versions.map((v) => v.version)).toEqual([2]);
    expect(ava.contractViolations).toEqual([]);
    expect(rachel.contractViolations).toEqual([]);
  });
});
