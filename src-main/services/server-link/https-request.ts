import { request } from 'node:https';
import type { ServerTrust } from './server-trust';

export interface SimpleResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

/**
 * One HTTPS request with the routing server's trust settings (Node's fetch
 * cannot be given extra CA certificates). Failures look as fetch's do, so
 * they map to the same desktop errors: not reached is a TypeError
 * "fetch failed", no answer in time "The operation has timed out".
 */
export function httpsRequest(url: URL, init: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number }, trust: ServerTrust): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method, headers: init.headers, ...(trust.ca ? { ca: trust.ca } : {}) }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => reject(new TypeError(`fetch failed: ${error.message}`, { cause: error })));
      response.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        resolve({ ok: status >= 200 && status < 300, status, json: async () => JSON.parse(text) as unknown });
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error('The operation has timed out'));
    }, init.timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(new TypeError(`fetch failed: ${error.message}`, { cause: error }));
    });
    req.end(init.body);
  });
}
