import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { ServerConfig } from './config';

export interface ServerTls {
  cert: Buffer;
  key: Buffer;
}

/** Whether a bind address only this machine can reach: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackBind(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}

function readPem(file: string, setting: string, what: string): Buffer {
  let pem: Buffer;
  try {
    pem = readFileSync(file);
  } catch (error) {
    throw new Error(`${setting}: cannot read the TLS ${what} ${file} (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
  if (!pem.includes('-----BEGIN ')) throw new Error(`${setting}: ${file} is not a PEM file (the TLS ${what})`);
  return pem;
}

/**
 * The routing server's TLS, from HOLDFAST_TLS_CERT and HOLDFAST_TLS_KEY (PEM
 * files; `tlsCert` and `tlsKey` in the config). Passwords, tokens and whole
 * customer records cross this link, so the server refuses to listen in the
 * clear on an address other machines can reach, unless
 * HOLDFAST_TLS_TERMINATED_BY_PROXY=1 (`tlsTerminatedByProxy`) says a load
 * balancer or reverse proxy in front of it does TLS. On loopback (the
 * embedded demo server) plain HTTP is allowed.
 */
export function loadServerTls(config: Pick<ServerConfig, 'host' | 'tlsCert' | 'tlsKey' | 'tlsTerminatedByProxy'>): ServerTls | null {
  const { tlsCert, tlsKey } = config;
  if (tlsCert !== undefined || tlsKey !== undefined) {
    if (tlsCert === undefined) throw new Error('HOLDFAST_TLS_CERT (tlsCert) is not set, but HOLDFAST_TLS_KEY is: both are needed for TLS.');
    if (tlsKey === undefined) throw new Error('HOLDFAST_TLS_KEY (tlsKey) is not set, but HOLDFAST_TLS_CERT is: both are needed for TLS.');
    return { cert: readPem(tlsCert, 'HOLDFAST_TLS_CERT (tlsCert)', 'certificate'), key: readPem(tlsKey, 'HOLDFAST_TLS_KEY (tlsKey)', 'private key') };
  }
  if (!isLoopbackBind(config.host) && !config.tlsTerminatedByProxy) {
    throw new Error(
      `The routing server will not listen on ${config.host} without TLS: passwords, tokens and customer records would cross the network in the clear. `
      + 'Set HOLDFAST_TLS_CERT and HOLDFAST_TLS_KEY to PEM files, or HOLDFAST_TLS_TERMINATED_BY_PROXY=1 if a load balancer or proxy in front of it terminates TLS.',
    );
  }
  return null;
}
