import { parseArgs } from 'node:util';
import { serverConfigFromEnv } from './config';
import { startRoutingServer } from './routing-server';

/** `npm run server -- [--port N] [--data DIR] [--customers N] [--no-demo]` */
const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    data: { type: 'string' },
    customers: { type: 'string' },
    seed: { type: 'string' },
    'no-demo': { type: 'boolean' },
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
