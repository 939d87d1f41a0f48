import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesktopBackend } from '../../../src-main/services/create-backend';
import type { DesktopBackend } from '../../../src-main/services/desktop-backend';
import { FileKeyProvider } from '../../../src-main/services/key-provider';
import { ServerHttpClient } from '../../../src-main/services/server-link/server-http-client';
import { connectServerSocket } from '../../../src-main/services/server-link/server-socket';
import { serverTrustFromEnv } from '../../../src-main/services/server-link/server-trust';
import type { RunningServer } from '../../../src-server/routing-server';
import { serverConfigFromEnv } from '../../../src-server/config';
import { loadServerTls } from '../../../src-server/tls';
import { signInAndSync } from '../../support/desktops';
import { startServer } from '../../support/stack';
import { makeTempDir } from '../../support/temp-dir';
import { makeTestCerts, type TestCerts } from '../../support/test-certs';

/*
 * The routing server over TLS, with a CA made by openssl for this test: the
 * real desktop backend signs in over HTTPS, cold-syncs (in its worker
 * thread) and holds its socket.io link over WSS, trusting the test CA
 * through HOLDFAST_SERVER_CA; without that CA it refuses the server.
 */

const temp = makeTempDir('tls');
let certs: TestCerts;
let server: RunningServer;
let removeServer: () => void;
const previousCa = process.env.HOLDFAST_SERVER_CA;

beforeAll(async () => {
  certs = makeTestCerts(temp.path);
  ({ server, remove: removeServer } = await startServer({ host: '127.0.0.1', tlsCert: certs.serverCert, tlsKey: certs.serverKey, demoCustomers: 60 }));
}, 120_000);
afterAll(async () => {
  if (previousCa === undefined) delete process.env.HOLDFAST_SERVER_CA;
  else process.env.HOLDFAST_SERVER_CA = previousCa;
  await server?.close();
  removeServer?.();
  temp.remove();
});

describe('the routing server over TLS', () => {
  it('serves https', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses a client that does not trust its certificate', async () => {
    await expect(new ServerHttpClient(server.url, 5_000, {}).info()).rejects.toThrow(/fetch failed/);
    await expect(new ServerHttpClient(server.url, 5_000, serverTrustFromEnv({ HOLDFAST_SERVER_CA: certs.strangerCert })).info()).rejects.toThrow(/fetch failed/);
    const socket = connectServerSocket(server.url.replace(/^https/, 'wss'), 'no-token', {});
    try {
      const error = await new Promise<Error>((resolve) => socket.on('connect_error', resolve));
      expect(error.message).toMatch(/websocket error/i);
    } finally {
      socket.close();
    }
  });

  it('carries the desktop backend over HTTPS and WSS when the desktop trusts the configured CA', async () => {
    process.env.HOLDFAST_SERVER_CA = certs.caCert;
    expect((await new ServerHttpClient(server.url).info()).demoMode).toBe(true);
    const dir = makeTempDir('tls-desktop');
    let backend: DesktopBackend | null = null;
    try {
      backend = createDesktopBackend({ serverUrl: server.url, dataDir: dir.path, keys: new FileKeyProvider(join(dir.path, 'cache.key')) });
      await signInAndSync(backend, 'ava', 60_000);
      const status = await backend.invoke('status.get', {});
      expect(status.ok && status.value.connection).toBe('online');
      // The realtime link is the server's own socket.io, reached over TLS.
      expect(server.io.of('/').sockets.size).toBeGreaterThan(0);
    } finally {
      await backend?.close();
      dir.remove();
    }
  }, 90_000);
});

describe('when the server may listen in the clear', () => {
  it('plain on loopback; refused on other addresses unless a proxy terminates TLS, naming the settings', () => {
    expect(loadServerTls({ host: '127.0.0.1', tlsTerminatedByProxy: false })).toBeNull();
    expect(loadServerTls({ host: 'localhost', tlsTerminatedByProxy: false })).toBeNull();
    expect(loadServerTls({ host: '::1', tlsTerminatedByProxy: false })).toBeNull();
    for (const host of ['0.0.0.0', '::', '10.1.2.3', 'routing.example']) {
      expect(() => loadServerTls({ host, tlsTerminatedByProxy: false }), host).toThrow(/without TLS.*HOLDFAST_TLS_CERT and HOLDFAST_TLS_KEY.*HOLDFAST_TLS_TERMINATED_BY_PROXY=1/);
    }
    expect(loadServerTls({ host: '0.0.0.0', tlsTerminatedByProxy: true })).toBeNull();
  });

  it('names the setting when a certificate or key file is missing, unreadable or not PEM', () => {
    expect(() => loadServerTls({ host: '0.0.0.0', tlsCert: certs.serverCert, tlsTerminatedByProxy: false })).toThrow(/HOLDFAST_TLS_KEY \(tlsKey\) is not set/);
    expect(() => loadServerTls({ host: '0.0.0.0', tlsKey: certs.serverKey, tlsTerminatedByProxy: false })).toThrow(/HOLDFAST_TLS_CERT \(tlsCert\) is not set/);
    expect(() => loadServerTls({ host: '0.0.0.0', tlsCert: join(temp.path, 'nope.pem'), tlsKey: certs.serverKey, tlsTerminatedByProxy: false })).toThrow(/HOLDFAST_TLS_CERT \(tlsCert\): cannot read the TLS certificate .*nope\.pem/);
    expect(() => loadServerTls({ host: '0.0.0.0', tlsCert: certs.serverCert, tlsKey: join(temp.path, 'server.ext'), tlsTerminatedByProxy: false })).toThrow(/HOLDFAST_TLS_KEY \(tlsKey\): .*not a PEM file/);
    expect(loadServerTls({ host: '0.0.0.0', tlsCert: certs.serverCert, tlsKey: certs.serverKey, tlsTerminatedByProxy: false })).not.toBeNull();
  });

  it('reads the TLS settings from HOLDFAST_TLS_CERT, HOLDFAST_TLS_KEY and HOLDFAST_TLS_TERMINATED_BY_PROXY', () => {
    expect(serverConfigFromEnv({ HOLDFAST_TLS_CERT: '/c.pem', HOLDFAST_TLS_KEY: '/k.pem', HOLDFAST_TLS_TERMINATED_BY_PROXY: '1' })).toMatchObject({
      tlsCert: '/c.pem', tlsKey: '/k.pem', tlsTerminatedByProxy: true,
    });
    expect(serverConfigFromEnv({})).toMatchObject({ tlsCert: undefined, tlsKey: undefined, tlsTerminatedByProxy: undefined });
  });

  it('startRoutingServer refuses a non-loopback bind without TLS before it opens the store', async () => {
    await expect(startServer({ host: '0.0.0.0' })).rejects.toThrow(/will not listen on 0\.0\.0\.0 without TLS/);
  });
});
