import { splitServerUrls } from './server-urls';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { insecureUrlProblem } from '@shared/util/loopback';

/** The routing server's URL may not be used: plain http to another machine, or not a URL at all. */
export class InsecureServerUrlError extends Error {
  constructor(readonly url: string, reason: string) {
    super(`The routing server URL ${JSON.stringify(url)} is refused: ${reason}.`);
    this.name = 'InsecureServerUrlError';
  }
}

/**
 * The routing server's URL, checked: https (or wss) to any host; http only
 * to this machine (localhost, 127.0.0.0/8, ::1), since passwords, tokens and
 * customer records cross this link.
 */
export function checkServerUrl(value: string): URL {
  // Several URLs (the nodes of a routing cluster, server-urls.ts): each must pass.
  const urls = splitServerUrls(value);
  if (urls.length > 1) return urls.map((one) => checkServerUrl(one))[0]!;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InsecureServerUrlError(value, 'it is not a URL');
  }
  const problem = insecureUrlProblem(url);
  if (problem !== null) throw new InsecureServerUrlError(value, problem);
  return url;
}

/** The environment variable naming a PEM file of CA certificates the desktop trusts for the routing server, besides the system's. */
export const SERVER_CA_ENV = 'HOLDFAST_SERVER_CA';

export interface ServerTrust {
  /** The CA certificates to trust (the system's plus the configured ones); undefined: Node's defaults. */
  ca?: string[];
}

const loaded = new Map<string, string>();

/**
 * HOLDFAST_SERVER_CA: a PEM file with the certificate(s) of a private CA
 * (or a self-signed server certificate) to trust for the routing server, in
 * addition to the system's roots, as NODE_EXTRA_CA_CERTS would but for this
 * link only. Read from the environment so the cold-sync worker thread, which
 * inherits it, trusts the same. A file that cannot be read is an error that
 * names the setting.
 */
export function serverTrustFromEnv(env: NodeJS.ProcessEnv = process.env): ServerTrust {
  const file = env[SERVER_CA_ENV];
  if (file === undefined || file.trim() === '') return {};
  let pem = loaded.get(file);
  if (pem === undefined) {
    try {
      pem = readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`${SERVER_CA_ENV}: cannot read the CA file ${file} (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`${SERVER_CA_ENV}: ${file} holds no PEM certificate`);
    loaded.set(file, pem);
  }
  return { ca: [...rootCertificates, pem] };
}
