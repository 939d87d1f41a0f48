import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DeskLogger } from '../../../src-main/services/desk/logger';
import { routePushes, type PushTargets } from '../../../src-main/services/server-link/push-router';
import { connectServerSocket, type ServerSocket } from '../../../src-main/services/server-link/server-socket';
import { syntheticOffer, until } from '../../support/desktops';

/** A real socket.io server on loopback that sends the desktop what a broken or hostile server might. */
describe('pushes from the server are checked against the contract', () => {
  let io: Server;
  let url: string;
  let socket: ServerSocket | null = null;

  beforeAll(async () => {
    const http = createServer();
    io = new Server(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    socket?.disconnect();
    await io.close();
  });

  it('delivers a valid push and drops a malformed one, logging its event name and the reason', async () => {
    const warnings: { fields: object; message: string }[] = [];
    const log: DeskLogger = { debug() {}, info() {}, error() {}, warn: (fields, message) => void warnings.push({ fields, message }) };
    const targets = Object.fromEntries(
      (['connected', 'disconnected', 'connecting', 'connectFailed', 'offer', 'callRevoked', 'callEnded', 'presenceChanged', 'changesAvailable', 'outreachTask', 'outreachRevoked', 'supervisorState', 'supervisorOutcome'] as const)
        .map((name) => [name, vi.fn()]),
    ) as unknown as { [K in keyof PushTargets]: PushTargets[K] & ReturnType<typeof vi.fn> };
    io.once('connection', (server) => {
      server.emit('call:offered', { call: { id: 'C1' }, evil: true });
      server.emit('call:revoked', { callId: 'C2', reason: 'because' });
      server.emit('feed:changed', 'not an object');
      server.emit('call:offered', syntheticOffer('CUST-1', 'C3'));
    });
    socket = connectServerSocket(url, 'token');
    routePushes(socket, targets, log);

    await until(() => targets.offer.mock.calls.length === 1, 5_000, 'the valid offer');
    expect(targets.connected).toHaveBeenCalled();
    expect(targets.offer.mock.calls[0]![0].call.id).toBe('C3');
    expect(targets.callRevoked).not.toHaveBeenCalled();
    // A malformed feed push is passed on as null, so the desk pulls the feed instead of trusting it.
    expect(targets.changesAvailable).toHaveBeenCalledWith(null);
    const events = warnings.map((w) => (w.fields as { event: string }).event);
    expect(events).toEqual(['call:offered', 'call:revoked', 'feed:changed']);
    for (const warning of warnings) expect((warning.fields as { reason: string }).reason.length).toBeGreaterThan(0);
    expect((warnings[1]!.fields as { reason: string }).reason).toMatch(/^reason: /);
  });
});
