import { parseArgs } from 'node:util';
import { serverConfigFromEnv } from './config';
import { startRoutingServer } from './routing-server';

/** `npm run server -- [--port N] [--host H] [--data DIR] [--customers N] [--no-demo] [--tls-cert FILE --tls-key FILE]` */
const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    data: { type: 'string' },
    customers: { type: 'string' },
    seed: { type: 'string' },
    'no-demo': { type: 'boolean' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  },
});

const fromEnv = serverConfigFromEnv(process.env);
const server = await startRoutingServer({
  ...fromEnv,
  ...(values.port ? { port: Number(values.port) } : {}),
  ...(values.host ? { host: values.host } : {}),
  ...(values.data ? { dataDir: values.data } : {}),
  ...(values.customers ? { demoCustomers: Number(values.customers) } : {}),
  ...(values.seed ? { demoSeed: Number(values.seed) } : {}),
  ...(values['no-demo'] ? { demo: false } : {}),
  ...(values['tls-cert'] ? { tlsCert: values['tls-cert'] } : {}),
  ...(values['tls-key'] ? { tlsKey: values['tls-key'] } : {}),
}).catch((error: unknown) => {
  // A refused configuration (no TLS off loopback, an unreadable certificate) is one line naming the setting, not a stack.
  console.error(`holdfast routing server: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

let closing = false;
const shutdown = (signal: string): void => {
  if (closing) return;
  closing = true;
  server.log.info({ signal }, 'shutting down');
  server.close().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
