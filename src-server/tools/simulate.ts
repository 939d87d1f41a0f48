import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEMO_TELEPHONY_KEY } from '../config';

/**
 * `npm run simulate -- --calls 20 --rate 1` posts calls to a running server,
 * as a telephony adapter would, so a newcomer can watch the flow: callers
 * are real demo customers (and the odd unknown number), and each answered
 * call is ended after a talk time so the agent moves on to wrap-up.
 */
function usage(message: string): never {
  console.error(`simulate: ${message}\nUsage: npm run simulate -- [--calls N] [--rate PER_SECOND] [--server URL] [--key TELEPHONY_KEY] [--talk-seconds S]`);
  process.exit(2);
}

const flags = {
  calls: { type: 'string', default: '20' },
  rate: { type: 'string', default: '1' },
  server: { type: 'string', default: process.env.HOLDFAST_SERVER_URL ?? 'http://127.0.0.1:4870' },
  key: { type: 'string', default: process.env.HOLDFAST_TELEPHONY_KEY ?? DEMO_TELEPHONY_KEY },
  'talk-seconds': { type: 'string', default: '30' },
} as const;
let values: Record<string, string | undefined>;
try {
  values = parseArgs({ options: flags }).values;
} catch (error) {
  usage(error instanceof Error ? error.message : String(error));
}
const parsedOptions = z.object({
  calls: z.coerce.number().int().min(1).max(100_000),
  rate: z.coerce.number().positive().max(1000),
  server: z.url(),
  key: z.string().min(1),
  talkSeconds: z.coerce.number().min(0),
}).safeParse({ ...values, talkSeconds: values['talk-seconds'] });
if (!parsedOptions.success) {
  const issue = parsedOptions.error.issues[0];
  usage(`--${String(issue?.path[0] ?? '').replace('talkSeconds', 'talk-seconds')}: ${issue?.message ?? 'invalid'}`);
}
const options = parsedOptions.data;

const callersSchema = z.object({ callers: z.array(z.object({ phone: z.string(), accountId: z.string(), language: z.string() })) });
const intents = ['cancellation', 'billing', 'technical', 'plan_change', 'general'] as const;
const headers = { authorization: `Bearer ${options.key}`, 'content-type': 'application/json' };

async function main(): Promise<void> {
  const response = await fetch(new URL(`/api/demo/callers?count=${Math.min(500, options.calls)}`, options.server), { headers });
  if (!response.ok) throw new Error(`The server refused the caller list (${response.status}); is it running in demo mode at ${options.server}?`);
  const { callers } = callersSchema.parse(await response.json());
  let posted = 0;
  for (let i = 0; i < options.calls; i++) {
    const known = callers[i % callers.length];
    // One call in ten is from a number nobody has on file.
    const body = known && i % 10 !== 9
      ? { callerNumber: known.phone, ...(i % 3 === 0 ? { accountId: known.accountId } : {}), language: known.language, intent: intents[i % intents.length] }
      : { callerNumber: `+1212555${String(1000 + i).slice(-4)}`, language: 'en', intent: 'general' };
    const created = await fetch(new URL('/api/calls', options.server), { method: 'POST', headers, body: JSON.stringify(body) });
    const result = (await created.json()) as { callId?: string; customerId?: string | null; message?: string };
    if (!created.ok || !result.callId) {
      console.error(`call ${i + 1}: refused (${created.status}) ${result.message ?? ''}`);
    } else {
      posted += 1;
      console.log(`call ${i + 1}/${options.calls}: ${result.callId} ${result.customerId ? `customer ${result.customerId}` : 'unknown caller'} (${body.language}, ${body.intent})`);
      if (options.talkSeconds > 0) {
        const callId = result.callId;
        setTimeout(() => void fetch(new URL(`/api/calls/${callId}/end`, options.server), { method: 'POST', headers, body: '{}' }).catch(() => undefined), options.talkSeconds * 1000);
      }
    }
    await new Promise((r) => setTimeout(r, 1000 / options.rate));
  }
  console.log(`posted ${posted} of ${options.calls} calls; ending the last ones after ${options.talkSeconds}s of talk time`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
