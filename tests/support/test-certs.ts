import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCerts {
  /** The test CA's certificate (PEM file): what a desktop is told to trust. */
  caCert: string;
  /** The server's certificate, signed by the CA, for 127.0.0.1 and localhost. */
  serverCert: string;
  serverKey: string;
  /** A second, unrelated self-signed certificate: what a desktop must not trust. */
  strangerCert: string;
}

/** A throwaway CA and server certificate made by openssl in `dir` (never committed; removed with the temp dir). */
export function makeTestCerts(dir: string): TestCerts {
  const file = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe' });
  };
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '2', '-subj', '/CN=Holdfast test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  openssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.pem'), '-days', '2', '-extfile', file('server.ext'));
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', file('stranger.key'), '-out', file('stranger.pem'), '-days', '2', '-subj', '/CN=stranger');
  return { caCert: file('ca.pem'), serverCert: file('server.pem'), serverKey: file('server.key'), strangerCert: file('stranger.pem') };
}
