import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerHttpClient } from '../../../src-main/services/server-link/server-http-client';
import { connectServerSocket } from '../../../src-main/services/server-link/server-socket';
import { InsecureServerUrlError } from '../../../src-main/services/server-link/server-trust';
import { Server as SocketServer } from 'socket.io';
import { freePort } from '../../support/server-process';

/** A desktop given several routing nodes' URLs moves to the next when one cannot be reached (real HTTP and socket.io on loopback). */
describe('several server URLs (the nodes of a routing cluster)', () => {
  let live: Server;
  let livePort = 0;
  let deadPort = 0;
  let io: SocketServer;

  beforeAll(async () => {
    deadPort = await freePort();
    livePort = await freePort();
    live = createServer((request, response) => {
      if (request.url === '/api/info') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ name: 'holdfast-routing-server', version: 'test', demoMode: false, demoUsers: [], oidc: null }));
        return;
      }
      response.writeHead(404).end();
    });
    io = new SocketServer(live);
    await new Promise<void>((r) => live.listen(livePort, '127.0.0.1', r));
  });

  afterAll(async () => {
    io.close();
    await new Promise((r) => live.close(r));
  });

  it('HTTP requests go to the next node when the first refuses the connection', async () => {
    const client = new ServerHttpClient(`http://127.0.0.1:${deadPort}, http://127.0.0.1:${livePort}`);
    expect((await client.info()).name).toBe('holdfast-routing-server');
    // Only unreachable nodes: the request fails.
    await expect(new ServerHttpClient(`http://127.0.0.1:${deadPort}`).info()).rejects.toThrow();
  });

  it('the socket reconnects to the next node', async () => {
    const socket = connectServerSocket(`http://127.0.0.1:${deadPort},http://127.0.0.1:${livePort}`, 'token');
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('never connected')), 15_000);
        socket.once('connect', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      expect(socket.connected).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('each URL of the list is checked (plain http only to this machine)', () => {
    expect(() => new ServerHttpClient(`http://127.0.0.1:${livePort},http://holdfast.example.com:8080`)).toThrow(InsecureServerUrlError);
  });
});
