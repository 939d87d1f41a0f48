import { z } from 'zod';
import { languageSchema, type Language } from '@shared/domain/language';

/** Where a transfer to one queue number sends the call: another language, another skill, or just back to the queue. */
export interface QueueTarget {
  language?: Language;
  skill?: string;
}

const userSchema = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9._+*#-]+$/, 'a SIP user part: letters, digits and . _ + * # -');
const targetSchema = z.object({ language: languageSchema.optional(), skill: z.string().trim().min(1).max(64).optional() });

/**
 * HOLDFAST_SIP_QUEUES as written in the environment: queue numbers, comma
 * separated, each optionally `=<language>`, `=/<skill>` or `=<language>/<skill>`,
 * e.g. `7000,7001=ru,7002=/billing,support-ru=ru/billing`. Split here only;
 * the record schema below checks each part (and names the one that is wrong).
 */
function splitQueuesText(text: string): Record<string, { language?: string; skill?: string }> {
  const queues: Record<string, { language?: string; skill?: string }> = {};
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [user = '', target = ''] = entry.split('=', 2);
    const [language = '', skill = ''] = target.split('/', 2);
    queues[user.trim()] = { ...(language.trim() ? { language: language.trim() } : {}), ...(skill.trim() ? { skill: skill.trim() } : {}) };
  }
  return queues;
}

/** The queue numbers a transfer can go back to: text from the environment, or an object in code. */
export const sipQueuesSchema = z.preprocess(
  (value) => (typeof value === 'string' ? splitQueuesText(value) : value),
  z.record(userSchema, targetSchema).refine((queues) => Object.keys(queues).length > 0, 'name at least one queue number (number[=language][/skill], comma separated)'),
);

/** The user part and host of a Refer-To URI (sip:, sips: or tel:), or null if it is none of those. */
export function referTarget(referTo: string): { user: string; host: string | null } | null {
  const uri = referTo.trim().replace(/^<|>$/g, '');
  const tel = /^tel:([^;?]+)/i.exec(uri);
  if (tel) return { user: tel[1]!, host: null };
  const sip = /^sips?:(?:([^@;?]+)@)?([^:;?>]+)/i.exec(uri);
  if (!sip?.[1]) return null;
  let user = sip[1];
  try {
    user = decodeURIComponent(user);
  } catch {
    // a stray % in the user part: kept as written
  }
  return { user, host: sip[2]!.toLowerCase().replace(/^\[|\]$/g, '') };
}

/**
 * Whether a Refer-To URI names one of Holdfast's queue numbers at one of
 * its own SIP hosts (the agents' domain, Kamailio's address): the queue
 * target it maps to, or null for anywhere else (a transfer out of Holdfast).
 */
export function queueOf(referTo: string, queues: Readonly<Record<string, QueueTarget>>, ownHosts: ReadonlySet<string>): QueueTarget | null {
  const target = referTarget(referTo);
  if (!target || !Object.hasOwn(queues, target.user)) return null;
  if (target.host !== null && !ownHosts.has(target.host)) return null;
  return queues[target.user]!;
}
