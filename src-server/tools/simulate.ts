import { parseArgs } from 'node:util';
import { z } from 'zod';
import { readyAgentsResponseSchema, type ReadyAgent } from '@shared/contract/server-http';
import type { Intent } from '@shared/domain/call';
import { languageSchema, SUPPORTED_LANGUAGES, type Language } from '@shared/domain/language';
import { DEMO_TELEPHONY_KEY } from '../config';
import { describeAgent, planCalls, type CallPlan } from './simulate-plan';

/**
 * `npm run simulate -- --calls 20 --rate 1` posts calls to a running server,
 * as a telephony adapter would, so a newcomer can watch the flow: callers
 * are real demo customers (and the odd unknown number), and each answered
 * call is ended after a talk time so the agent moves on to wrap-up.
 *
 * It first asks the server who is signed in and ready, and calls only in
 * the languages, and about the intents, those agents are routed: every call
 * can pop. Nobody ready: it says so and posts nothing (exit 3), or with
 * `--wait S` waits up to S seconds for somebody. `--language` forces a
 * language; when no ready agent takes it, it says so and the calls queue.
 */
const USAGE = 'Usage: npm run simulate -- [--calls N] [--rate PER_SECOND] [--language CODE] [--wait SECONDS] [--server URL] [--key TELEPHONY_KEY] [--talk-seconds S]';
function usage(message: string): never {
  console.error(`simulate: ${message}\n${USAGE}`);
  process.exit(2);
}

/** Nobody ready (or nobody who takes any call), so no call could pop. */
const EXIT_NOBODY_READY = 3;

const flags = {
  calls: { type: 'string', default: '20' },
  rate: { type: 'string', default: '1' },
  server: { type: 'string', default: process.env.HOLDFAST_SERVER_URL ?? 'http://127.0.0.1:4870' },
  key: { type: 'string', default: process.env.HOLDFAST_TELEPHONY_KEY ?? DEMO_TELEPHONY_KEY },
  'talk-seconds': { type: 'string', default: '30' },
  language: { type: 'string' },
  wait: { type: 'string', default: '0' },
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
  language: z.enum(SUPPORTED_LANGUAGES, { error: `not a language Holdfast routes (one of ${SUPPORTED_LANGUAGES.join(', ')})` }).optional(),
  wait: z.coerce.number().min(0).max(3600),
}).safeParse({ ...values, talkSeconds: values['talk-seconds'] });
if (!parsedOptions.success) {
  const issue = parsedOptions.error.issues[0];
  usage(`--${String(issue?.path[0] ?? '').replace('talkSeconds', 'talk-seconds')}: ${issue?.message ?? 'invalid'}`);
}
const options = parsedOptions.data;

const callersSchema = z.object({ callers: z.array(z.object({ phone: z.string(), accountId: z.string(), language: languageSchema })) });
const headers = { authorization: `Bearer ${options.key}`, 'content-type': 'application/json' };

async function readyAgents(): Promise<ReadyAgent[]> {
  const response = await fetch(new URL('/api/routing/ready', options.server), { headers }).catch(() => {
    throw new Error(`Cannot reach the routing server at ${options.server}: is it running (./holdfast start)? Another address: --server URL`);
  });
  if (response.status === 401) throw new Error(`The server refused the telephony key (401); pass the server's key with --key or HOLDFAST_TELEPHONY_KEY`);
  if (!response.ok) throw new Error(`The server would not say who is ready (${response.status}) at ${options.server}`);
  return readyAgentsResponseSchema.parse(await response.json()).agents;
}

/** Who is ready, and what to call about; waits (bounded by --wait) while nobody is, or nobody takes the forced language. */
async function plan(): Promise<CallPlan> {
  const deadline = Date.now() + options.wait * 1000;
  let told = false;
  for (;;) {
    const ready = await readyAgents();
    const result = planCalls(ready, options.language);
    const settled = result.ok && result.plan.warning === null;
    if (settled || Date.now() >= deadline) {
      if (!result.ok) {
        console.error(result.reason);
        process.exit(EXIT_NOBODY_READY);
      }
      console.log(`ready: ${ready.map(describeAgent).join(', ')}`);
      if (result.plan.warning) console.error(`warning: ${result.plan.warning}`);
      return result.plan;
    }
    if (!told) {
      console.log(result.ok
        ? `nobody ready takes calls in ${options.language ?? ''} yet: waiting up to ${options.wait}s for one to press Go ready`
        : `nobody is signed in and ready yet: waiting up to ${options.wait}s for an agent to sign in and press Go ready`);
      told = true;
    }
    await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, deadline - Date.now()))));
  }
}

async function main(): Promise<void> {
  const { languages, intents } = await plan();
  const count = Math.min(500, options.calls);
  const response = await fetch(new URL(`/api/demo/callers?count=${count}&language=${languages.join(',')}`, options.server), { headers });
  if (!response.ok) throw new Error(`The server refused the caller list (${response.status}); is it running in demo mode at ${options.server}?`);
  const { callers } = callersSchema.parse(await response.json());
  const intentFor = (language: Language, i: number): Intent => {
    const list = intents.get(language) ?? ['general'];
    return list[i % list.length] ?? 'general';
  };
  let posted = 0;
  for (let i = 0; i < options.calls; i++) {
    const known = callers[i % callers.length];
    // One call in ten is from a number nobody has on file.
    let body: { callerNumber: string; accountId?: string; language: Language; intent: Intent };
    if (known && i % 10 !== 9) {
      body = { callerNumber: known.phone, ...(i % 3 === 0 ? { accountId: known.accountId } : {}), language: known.language, intent: intentFor(known.language, i) };
    } else {
      const language = languages[i % languages.length] ?? 'en';
      const list = intents.get(language) ?? [];
      body = { callerNumber: `+1212555${String(1000 + i).slice(-4)}`, language, intent: list.includes('general') ? 'general' : intentFor(language, i) };
    }
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
    if (i + 1 < options.calls) await new Promise((r) => setTimeout(r, 1000 / options.rate));
  }
  console.log(`posted ${posted} of ${options.calls} calls; ending the last ones after ${options.talkSeconds}s of talk time`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
