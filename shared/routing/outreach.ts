import { z } from 'zod';
import { type Language, languageSchema } from '@shared/domain/language';

/**
 * Outbound retention calls: who to call next, and only when it is allowed
 * and sensible.
 *
 * Hard rules (a customer failing one is skipped, with the reason):
 *  - consent: never a customer flagged do-not-call;
 *  - the customer's local calling hours (default 09:00-20:00 in their IANA
 *    timezone, read with Intl.DateTimeFormat; windows across midnight work);
 *  - at most `maxAttempts` attempts;
 *  - a cool-off of `coolOffMs` after any contact, inbound or outbound.
 * Ranking: value at risk, discounted by `attemptDecay` per earlier attempt
 * (each unanswered attempt makes the next less likely to connect), with a
 * boost for customers whose calling window closes within `closingSoonMs`
 * (call them now or wait until tomorrow). Every item says why this customer
 * and why now, as codes (for translation) with an English text.
 */
export const outreachCustomerSchema = z.object({
  customerId: z.string().min(1),
  valueAtRisk: z.number().finite().nonnegative(),
  /** IANA timezone, e.g. "Asia/Jerusalem". */
  timezone: z.string().min(1),
  doNotCall: z.boolean(),
  attempts: z.number().int().nonnegative(),
  /** Last contact of any kind, ms since epoch; null if never. */
  lastContactAt: z.number().finite().nullable(),
  churnRisk: z.number().min(0).max(1).optional(),
  language: languageSchema.optional(),
  /** The main churn reason, shown to the agent (e.g. from the churn model's reasons). */
  topReason: z.string().optional(),
});
export type OutreachCustomer = z.infer<typeof outreachCustomerSchema>;

const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM (24 h)');

export const outreachConfigSchema = z.object({
  callingHours: z.object({ start: clockTimeSchema, end: clockTimeSchema }).prefault({ start: '09:00', end: '20:00' }),
  maxAttempts: z.number().int().min(1).default(3),
  coolOffMs: z.number().nonnegative().default(48 * 3_600_000),
  attemptDecay: z.number().min(0).max(1).default(0.7),
  closingSoonMs: z.number().nonnegative().default(60 * 60_000),
  closingSoonBoost: z.number().min(0).default(0.25),
  /** Customers with less value at risk are not worth an agent's time. */
  minValueAtRisk: z.number().nonnegative().default(0),
});
export type OutreachConfig = z.infer<typeof outreachConfigSchema>;
export type OutreachConfigInput = z.input<typeof outreachConfigSchema>;

export interface Reason {
  code: string;
  text: string;
}

export interface OutreachItem {
  customerId: string;
  score: number;
  valueAtRisk: number;
  timezone: string;
  /** Customer's local time, HH:MM. */
  localTime: string;
  language: Language | null;
  whyThisCustomer: Reason[];
  whyNow: Reason[];
}

export type SkipReason = 'do_not_call' | 'outside_calling_hours' | 'max_attempts' | 'cool_off' | 'invalid_timezone' | 'low_value';

export interface OutreachRanking {
  ranked: OutreachItem[];
  skipped: Array<{ customerId: string; reason: SkipReason; detail: string }>;
}

const MINUTES_PER_DAY = 24 * 60;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes since local midnight in the timezone, or null if the timezone is unknown. */
export function localMinutes(timezone: string, now: number): number | null {
  let formatter = formatters.get(timezone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-GB', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    } catch {
      return null;
    }
    formatters.set(timezone, formatter);
  }
  let hour = 0;
  let minute = 0;
  for (const part of formatter.formatToParts(new Date(now))) {
    if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return hour * 60 + minute;
}

function parseClock(text: string): number {
  const [h, m] = text.split(':');
  return Number(h) * 60 + Number(m);
}

function formatClock(minutes: number): string {
  const m = ((minutes % MINUTES_PER_DAY) + MINUTES_PER_DAY) % MINUTES_PER_DAY;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

/** Minutes until the window closes if `minutes` lies inside [start, end), else null. */
export function minutesLeftInWindow(minutes: number, start: number, end: number): number | null {
  if (start === end) return null;
  if (start < end) return minutes >= start && minutes < end ? end - minutes : null;
  // Window across midnight, e.g. 20:00-02:00.
  if (minutes >= start) return MINUTES_PER_DAY - minutes + end;
  if (minutes < end) return end - minutes;
  return null;
}

export function rankOutreach(customers: readonly OutreachCustomer[], now: number, configInput: OutreachConfigInput = {}): OutreachRanking {
  const config = parseConfig(configInput);
  const list = z.array(outreachCustomerSchema).safeParse(customers);
  if (!list.success) {
    const issue = list.error.issues[0];
    throw new Error(`rankOutreach: customer ${String(issue?.path[0] ?? '?')}: ${issue?.path.slice(1).join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  const start = parseClock(config.callingHours.start);
  const end = parseClock(config.callingHours.end);
  const ranked: OutreachItem[] = [];
  const skipped: OutreachRanking['skipped'] = [];

  for (const customer of list.data) {
    const skip = (reason: SkipReason, detail: string): void => {
      skipped.push({ customerId: customer.customerId, reason, detail });
    };
    if (customer.doNotCall) {
      skip('do_not_call', 'customer asked not to be called');
      continue;
    }
    if (customer.attempts >= config.maxAttempts) {
      skip('max_attempts', `${customer.attempts} attempts already (max ${config.maxAttempts})`);
      continue;
    }
    if (customer.lastContactAt !== null && now - customer.lastContactAt < config.coolOffMs) {
      const hoursLeft = Math.ceil((config.coolOffMs - (now - customer.lastContactAt)) / 3_600_000);
      skip('cool_off', `contacted recently; cool-off ends in ${hoursLeft} h`);
      continue;
    }
    if (customer.valueAtRisk <= 0 || customer.valueAtRisk < config.minValueAtRisk) {
      skip('low_value', `value at risk ${customer.valueAtRisk} (minimum ${config.minValueAtRisk}, and more than 0)`);
      continue;
    }
    const minutes = localMinutes(customer.timezone, now);
    if (minutes === null) {
      skip('invalid_timezone', `unknown timezone "${customer.timezone}"`);
      continue;
    }
    const left = minutesLeftInWindow(minutes, start, end);
    if (left === null) {
      skip('outside_calling_hours', `local time ${formatClock(minutes)} is outside ${config.callingHours.start}-${config.callingHours.end}`);
      continue;
    }

    const closingSoon = left * 60_000 <= config.closingSoonMs;
    const score = customer.valueAtRisk * config.attemptDecay ** customer.attempts * (closingSoon ? 1 + config.closingSoonBoost : 1);
    const whyThisCustomer: Reason[] = [
      { code: 'value_at_risk', text: `${Math.round(customer.valueAtRisk).toLocaleString('en-US')} in value at risk` },
    ];
    if (customer.churnRisk !== undefined) {
      whyThisCustomer.push({ code: 'churn_risk', text: `${Math.round(customer.churnRisk * 100)}% churn risk` });
    }
    if (customer.topReason !== undefined) whyThisCustomer.push({ code: 'churn_reason', text: customer.topReason });
    whyThisCustomer.push(
      customer.attempts === 0
        ? { code: 'first_attempt', text: 'not tried yet' }
        : { code: 'retry', text: `attempt ${customer.attempts + 1} of ${config.maxAttempts}` },
    );
    const whyNow: Reason[] = [
      { code: 'in_calling_hours', text: `${formatClock(minutes)} local time (${customer.timezone}), inside calling hours` },
    ];
    if (closingSoon) whyNow.push({ code: 'window_closing', text: `calling window closes in ${left} min` });
    whyNow.push(
      customer.lastContactAt === null
        ? { code: 'never_contacted', text: 'no contact on record' }
        : { code: 'cool_off_over', text: `last contact ${Math.floor((now - customer.lastContactAt) / 86_400_000)} days ago` },
    );
    ranked.push({
      customerId: customer.customerId,
      score,
      valueAtRisk: customer.valueAtRisk,
      timezone: customer.timezone,
      localTime: formatClock(minutes),
      language: customer.language ?? null,
      whyThisCustomer,
      whyNow,
    });
  }
  ranked.sort(compareOutreach);
  return { ranked, skipped };
}

/** The outbound list's order: best score first, then by customer id (so the order is stable). */
export function compareOutreach(a: OutreachItem, b: OutreachItem): number {
  return b.score - a.score || (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0);
}

function parseConfig(input: OutreachConfigInput): OutreachConfig {
  const parsed = outreachConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`outreach config: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** A preview-dial task for an idle agent: the agent sees who and why before dialling. */
export interface PreviewTask {
  kind: 'outbound_preview';
  agentId: string;
  customerId: string;
  /** The customer is held for this agent until then (no other agent gets them). */
  holdUntil: number;
  whyThisCustomer: Reason[];
  whyNow: Reason[];
}

/** What the blended planner needs from the inbound side (the Router fits). */
export interface InboundSide {
  waitingEligibleFor(agentId: string): number;
  agent(agentId: string): { online: boolean; presence: string; languages: Partial<Record<Language, number>> } | undefined;
}

export interface BlendedPlannerOptions {
  inbound: InboundSide;
  /** The current outbound candidates (read on every call, so the server can refresh them). */
  customers: () => readonly OutreachCustomer[];
  config?: OutreachConfigInput;
  /** How long a previewed customer is held for the agent. */
  previewHoldMs?: number;
  /** Language proficiency the agent needs for a customer with a known language. */
  minProficiency?: number;
}

/**
 * Blending: when an agent is free and no inbound call they could take is
 * waiting, hand them the best outbound customer they can talk to, held for
 * them while they preview it. Inbound always wins: the hook returns null while
 * any eligible inbound call waits.
 *
 * Each candidate is ranked at most once a minute: the server asks for every idle agent in turn (a floor of a
 * thousand idle agents over a list of hundreds), and ranking the whole list again for each one (local time by
 * Intl, the reasons' text, the list's validation) held the routing node's event loop for seconds. A candidate is
 * known by its object: the caller hands the same objects until it reads its list again.
 */
export interface BlendedPlanner {
  idleAgentTask(agentId: string, now: number): PreviewTask | null;
  /** How many of the candidates (as `customers` lists them now) nobody holds: with none, no idle agent can be given one. */
  unheldCount(now: number): number;
  /** The agents who hold a candidate now (a held candidate can go only to its holder). */
  holders(now: number): Set<string>;
}

export function createBlendedPlanner(options: BlendedPlannerOptions): BlendedPlanner {
  const config = parseConfig(options.config ?? {});
  const holdMs = options.previewHoldMs ?? 2 * 60_000;
  const minProficiency = options.minProficiency ?? 3;
  const held = new Map<string, { agentId: string; until: number }>();
  const rankedOnce = new WeakMap<OutreachCustomer, { minute: number; item: OutreachItem | null }>();
  const rankedItems = (customers: readonly OutreachCustomer[], now: number): OutreachItem[] => {
    const minute = Math.floor(now / 60_000);
    const stale = customers.filter((c) => rankedOnce.get(c)?.minute !== minute);
    if (stale.length > 0) {
      const byId = new Map(rankOutreach(stale, now, config).ranked.map((item) => [item.customerId, item]));
      for (const c of stale) rankedOnce.set(c, { minute, item: byId.get(c.customerId) ?? null });
    }
    const items: OutreachItem[] = [];
    for (const c of customers) {
      const item = rankedOnce.get(c)?.item;
      if (item) items.push(item);
    }
    return items;
  };
  return {
    idleAgentTask(agentId, now) {
      const agent = options.inbound.agent(agentId);
      if (agent === undefined || !agent.online || agent.presence !== 'available') return null;
      if (options.inbound.waitingEligibleFor(agentId) > 0) return null;
      for (const [customerId, hold] of held) if (hold.until <= now) held.delete(customerId);
      // The best item this agent may take, in the list's order (one pass; no sort per agent).
      let best: OutreachItem | null = null;
      for (const item of rankedItems(options.customers(), now)) {
        const hold = held.get(item.customerId);
        if (hold !== undefined && hold.agentId !== agentId) continue;
        if (item.language !== null && (agent.languages[item.language] ?? 0) < minProficiency) continue;
        if (best === null || compareOutreach(item, best) < 0) best = item;
      }
      if (best === null) return null;
      held.set(best.customerId, { agentId, until: now + holdMs });
      return {
        kind: 'outbound_preview',
        agentId,
        customerId: best.customerId,
        holdUntil: now + holdMs,
        whyThisCustomer: best.whyThisCustomer,
        whyNow: best.whyNow,
      };
    },
    holders(now) {
      const agents = new Set<string>();
      for (const hold of held.values()) if (hold.until > now) agents.add(hold.agentId);
      return agents;
    },
    unheldCount(now) {
      let count = 0;
      for (const item of rankedItems(options.customers(), now)) {
        const hold = held.get(item.customerId);
        if (hold === undefined || hold.until <= now) count++;
      }
      return count;
    },
  };
}
