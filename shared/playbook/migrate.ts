import type { ChurnDriver } from '../domain/customer';
import type { RetentionScript } from '../domain/offer';
import { legacyPlaybookSchema, playbookSchema, type LegacyPlaybook, type Playbook, type PlaybookScript, type PlaybookStep } from '../domain/playbook';

const DRIVER_NAMES: Record<ChurnDriver, string> = {
  price: 'Price', service: 'Service', usage: 'Usage', contract: 'Contract', payment: 'Payment', tenure: 'New customer', other: 'General',
};

/** A title as a step id: lowercase, dashes, unique within its script. */
function stepId(title: string, taken: Set<string>): string {
  const base = title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48) || 'step';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/**
 * A first-format script as a branching one: the opening becomes the first
 * step, each step leads to the next, and the last one asks whether the
 * customer accepted. Its "{offer}" placeholder becomes {{offer.name}}.
 */
function migrateScript(script: RetentionScript): PlaybookScript {
  const taken = new Set<string>();
  const lines = [{ title: 'Opening', say: script.opening }, ...script.steps];
  const ids = lines.map((line) => stepId(line.title, taken));
  const steps: PlaybookStep[] = lines.map((line, k) => {
    const last = k === lines.length - 1;
    return {
      id: ids[k] as string,
      title: { en: line.title },
      say: { en: line.say.replaceAll('{offer}', '{{offer.name}}') },
      ...(line.say.includes('{offer}') ? { offers: ['best'] } : {}),
      answers: last
        ? [
            { id: 'accepted', label: { en: 'Accepted' }, next: null, outcome: 'saved' as const },
            { id: 'declined', label: { en: 'Declined' }, next: null, outcome: 'lost' as const },
          ]
        : [{ id: 'continue', label: { en: 'Continue' }, next: ids[k + 1] as string }],
    };
  });
  return { id: script.driver, name: { en: `${DRIVER_NAMES[script.driver]} script` }, when: script.driver === 'other' ? {} : { drivers: [script.driver] }, steps };
}

export function migrateLegacy(legacy: LegacyPlaybook): Playbook {
  return { format: 2, version: 1, publishedAt: null, publishedBy: null, offers: legacy.offers, scripts: legacy.scripts.map(migrateScript) };
}

/** Whatever a store, cache or file holds, as a current playbook: the first format is migrated, anything else refused. */
export function normalisePlaybook(raw: unknown): Playbook {
  const current = playbookSchema.safeParse(raw);
  if (current.success) return current.data;
  const legacy = legacyPlaybookSchema.safeParse(raw);
  if (legacy.success) return migrateLegacy(legacy.data);
  throw current.error;
}

export function isLegacyPlaybook(raw: unknown): boolean {
  return legacyPlaybookSchema.safeParse(raw).success;
}
