import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServerHttpClient } from '../../../src-main/services/server-link/server-http-client';
import { connectServerSocket } from '../../../src-main/services/server-link/server-socket';
import { checkServerUrl, InsecureServerUrlError, serverTrustFromEnv } from '../../../src-main/services/server-link/server-trust';
import { isLoopbackHostname } from '@shared/util/loopback';
import { makeTempDir } from '../../support/temp-dir';

describe('the routing server URL rule', () => {
  it('accepts https and wss anywhere, http and ws only to loopback', () => {
    for (const ok of ['https://routing.example', 'wss://routing.example:8443', 'http://127.0.0.1:4870', 'ws://localhost:4870', 'http://[::1]:1', 'http://127.1:4870']) {
      expect(() => checkServerUrl(ok), ok).not.toThrow();
    }
    for (const bad of ['http://routing.example', 'ws://routing.example', 'http://10.0.0.1', 'http://[::2]', 'http://127.0.0.1.evil.example', 'http://localhost.evil.example', 'ftp://127.0.0.1', 'not a url']) {
      expect(() => checkServerUrl(bad), bad).toThrow(InsecureServerUrlError);
    }
  });

  it('is enforced by the HTTP client and the socket, so no code path sends a token in the clear', () => {
    expect(() => new ServerHttpClient('http://routing.example:4870')).toThrow(/not encrypted/);
    expect(() => connectServerSocket('ws://routing.example:4870', 'token')).toThrow(/not encrypted/);
  });

  it('knows the loopback names', () => {
    expect(['localhost', '127.0.0.1', '127.255.255.254', '[::1]'].every(isLoopbackHostname)).toBe(true);
    expect(['128.0.0.1', '0.0.0.0', '[::]', 'localhost.example', '127.0.0.256'].some(isLoopbackHostname)).toBe(false);
  });

  it('reads the configured CA file and names the setting when it cannot', () => {
    const temp = makeTempDir('server-ca');
    try {
      expect(() => serverTrustFromEnv({ HOLDFAST_SERVER_CA: join(temp.path, 'missing.pem') })).toThrow(/HOLDFAST_SERVER_CA: cannot read/);
      writeFileSync(join(temp.path, 'junk.pem'), 'junk');
      expect(() => serverTrustFromEnv({ HOLDFAST_SERVER_CA: join(temp.path, 'junk.pem') })).toThrow(/HOLDFAST_SERVER_CA.*no PEM/);
      expect(serverTrustFromEnv({})).toEqual({});
    } finally {
      temp.remove();
    }
  });
});
