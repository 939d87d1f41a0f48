import type { ReadyAgent } from '@shared/contract/server-http';
import { intentSchema, type Intent } from '@shared/domain/call';
import type { Language } from '@shared/domain/language';

/**
 * What the simulator calls about, from who is ready: languages and, per
 * language, the intents at least one ready agent is routed, so every call
 * it posts can reach somebody. Pure, so the wording is tested on its own.
 */
export const NOBODY_READY = 'No agent is signed in and ready: sign in as a demo agent and press Go ready, then run this again';

export interface CallPlan {
  /** The languages the calls are in, in order. */
  languages: Language[];
  /** Per language, the intents the calls cycle through. */
  intents: ReadonlyMap<Language, readonly Intent[]>;
  /** Why some calls cannot be routed now (they will wait in the queue), or null. */
  warning: string | null;
}

export type PlanResult = { ok: true; plan: CallPlan } | { ok: false; reason: string };

/** "A016 (en: billing, general)": what routing gives one agent. */
export function describeAgent(agent: ReadyAgent): string {
  const languages = agent.languages.map((l) => `${l.code}: ${l.intents.join(', ')}`).join('; ');
  return `${agent.id} (${languages || 'no calls'})`;
}

export function planCalls(ready: readonly ReadyAgent[], forced?: Language): PlanResult {
  if (ready.length === 0) return { ok: false, reason: NOBODY_READY };
  const routes = new Map<Language, Set<Intent>>();
  for (const agent of ready) {
    for (const { code, intents } of agent.languages) {
      const set = routes.get(code) ?? new Set<Intent>();
      intents.forEach((intent) => set.add(intent));
      routes.set(code, set);
    }
  }
  // In the order intents are declared, whatever order agents listed them in.
  const ordered = (set: ReadonlySet<Intent>): Intent[] => intentSchema.options.filter((intent) => set.has(intent));
  const who = ready.map(describeAgent).join(', ');
  if (forced !== undefined) {
    const taken = routes.get(forced);
    if (taken) return { ok: true, plan: { languages: [forced], intents: new Map([[forced, ordered(taken)]]), warning: null } };
    return {
      ok: true,
      plan: {
        languages: [forced],
        intents: new Map([[forced, [...intentSchema.options]]]),
        warning: `No ready agent takes calls in ${forced} (ready: ${who}): these calls will wait in the queue until an agent who speaks ${forced} presses Go ready`,
      },
    };
  }
  if (routes.size === 0) {
    return { ok: false, reason: `The agents ready take no calls (ready: ${who}): none speaks a language well enough for its queues with the skills any intent needs; a supervisor can change their languages and skills` };
  }
  return { ok: true, plan: { languages: [...routes.keys()], intents: new Map([...routes].map(([code, set]) => [code, ordered(set)])), warning: null } };
}
