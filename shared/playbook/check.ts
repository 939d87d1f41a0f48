import type { z } from 'zod';
import { PLAYBOOK_LANGUAGES, type LocalisedText, type Playbook, type PlaybookLanguage, type PlaybookScript, playbookSchema } from '../domain/playbook';
import { LIFECYCLE_STAGES } from '../value/lifecycle';
import { RFM_SEGMENTS } from '../value/rfm';
import { isLegacyPlaybook, normalisePlaybook } from './migrate';
import { isMergeField, mergeFieldsIn, MERGE_FIELDS } from './text';

/** One thing wrong with a playbook, placed as precisely as the file allows. */
export interface PlaybookProblem {
  severity: 'error' | 'warning';
  /** The script id, where the problem is inside one. */
  script: string | null;
  /** The step id, where the problem is inside one. */
  step: string | null;
  /** The field inside the script or step, e.g. "say.he" or "answers[1].next". */
  field: string;
  message: string;
}

export interface PlaybookCheck {
  /** The playbook as it would be published, when it parses at all. */
  playbook: Playbook | null;
  problems: PlaybookProblem[];
  /** True when nothing is an error (warnings allowed). */
  ok: boolean;
}

/** "FILE: script "price", step "offer": say.he: missing Hebrew text" — what `playbook:check` prints per problem. */
export function formatProblem(file: string, p: PlaybookProblem): string {
  const where = [p.script !== null ? `script "${p.script}"` : null, p.step !== null ? `step "${p.step}"` : null, p.field || null].filter(Boolean).join(', ');
  return `${file}: ${p.severity}: ${where ? `${where}: ` : ''}${p.message}`;
}

const LANGUAGE_NAMES = { en: 'English', he: 'Hebrew', ru: 'Russian', zh: 'Chinese' } as const;

/** Places a schema issue by the ids found along its path in the raw file, not by array indexes. */
function placeIssue(raw: unknown, issue: z.core.$ZodIssue): PlaybookProblem {
  const path = issue.path;
  let script: string | null = null;
  let step: string | null = null;
  let rest = path;
  const at = (value: unknown, key: PropertyKey): unknown => (value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined);
  const idOf = (value: unknown, fallback: string): string => {
    const id = at(value, 'id');
    return typeof id === 'string' ? id : fallback;
  };
  if (path[0] === 'scripts' && typeof path[1] === 'number') {
    const rawScript = at(at(raw, 'scripts'), path[1]);
    script = idOf(rawScript, `#${path[1] + 1}`);
    rest = path.slice(2);
    if (rest[0] === 'steps' && typeof rest[1] === 'number') {
      step = idOf(at(at(rawScript, 'steps'), rest[1]), `#${rest[1] + 1}`);
      rest = rest.slice(2);
    }
  } else if (path[0] === 'offers' && typeof path[1] === 'number') {
    rest = [`offer "${idOf(at(at(raw, 'offers'), path[1]), `#${path[1] + 1}`)}"`, ...path.slice(2)];
  }
  const field = rest.map((k) => (typeof k === 'number' ? `[${k}]` : String(k))).join('.').replaceAll('.[', '[');
  return { severity: 'error', script, step, field, message: issue.message };
}

function missingLanguages(text: LocalisedText): PlaybookLanguage[] {
  return PLAYBOOK_LANGUAGES.filter((l) => !text[l]);
}

/**
 * Everything that would stop a playbook from working on a call: the schema,
 * then what the schema cannot see — ids that clash or lead nowhere, steps no
 * call can reach or that can never end, offers that do not exist, unknown
 * merge fields and selection values, and lines missing in a language.
 */
export function checkPlaybook(raw: unknown): PlaybookCheck {
  const problems: PlaybookProblem[] = [];
  let playbook: Playbook;
  if (isLegacyPlaybook(raw)) {
    playbook = normalisePlaybook(raw);
    problems.push({ severity: 'warning', script: null, step: null, field: 'format', message: 'this is the first (English-only) playbook format; it was migrated to format 2 for this check' });
  } else {
    const parsed = playbookSchema.safeParse(raw);
    if (!parsed.success) return { playbook: null, problems: parsed.error.issues.map((issue) => placeIssue(raw, issue)), ok: false };
    playbook = parsed.data;
  }
  const error = (script: string | null, step: string | null, field: string, message: string): void => {
    problems.push({ severity: 'error', script, step, field, message });
  };

  const offerIds = new Set<string>();
  for (const offer of playbook.offers) {
    if (offerIds.has(offer.id)) error(null, null, `offer "${offer.id}"`, 'the offer id is used twice');
    offerIds.add(offer.id);
    for (const language of ['he', 'ru', 'zh'] as const) {
      if (!offer.translations?.[language]) error(null, null, `offer "${offer.id}".translations.${language}`, `missing ${LANGUAGE_NAMES[language]} name and description`);
    }
  }

  const scriptIds = new Set<string>();
  for (const script of playbook.scripts) {
    if (scriptIds.has(script.id)) error(script.id, null, 'id', 'the script id is used twice');
    scriptIds.add(script.id);
    checkScript(script, offerIds, error);
  }
  if (!playbook.scripts.some((s) => Object.values(s.when).every((v) => !v || v.length === 0))) {
    problems.push({ severity: 'warning', script: null, step: null, field: 'scripts', message: 'no script is for any customer (empty "when"): a customer nothing fits gets the first script' });
  }
  return { playbook, problems, ok: !problems.some((p) => p.severity === 'error') };
}

type Report = (script: string | null, step: string | null, field: string, message: string) => void;

function checkScript(script: PlaybookScript, offerIds: ReadonlySet<string>, error: Report): void {
  const text = (step: string | null, field: string, value: LocalisedText): void => {
    for (const language of missingLanguages(value)) error(script.id, step, `${field}.${language}`, `missing ${LANGUAGE_NAMES[language]} text`);
    for (const language of PLAYBOOK_LANGUAGES) {
      const line = value[language];
      if (!line) continue;
      for (const name of mergeFieldsIn(line)) {
        if (!isMergeField(name)) error(script.id, step, `${field}.${language}`, `unknown merge field {{${name}}} (known: ${MERGE_FIELDS.join(', ')})`);
      }
    }
  };
  text(null, 'name', script.name);
  for (const stage of script.when.lifecycleStages ?? []) {
    if (!(LIFECYCLE_STAGES as readonly string[]).includes(stage)) error(script.id, null, 'when.lifecycleStages', `unknown lifecycle stage "${stage}" (known: ${LIFECYCLE_STAGES.join(', ')})`);
  }
  for (const segment of script.when.rfmSegments ?? []) {
    if (!(RFM_SEGMENTS as readonly string[]).includes(segment)) error(script.id, null, 'when.rfmSegments', `unknown RFM segment "${segment}" (known: ${RFM_SEGMENTS.join(', ')})`);
  }

  const stepIds = new Set<string>();
  for (const step of script.steps) {
    if (stepIds.has(step.id)) error(script.id, step.id, 'id', 'the step id is used twice in this script');
    stepIds.add(step.id);
  }
  for (const step of script.steps) {
    text(step.id, 'title', step.title);
    text(step.id, 'say', step.say);
    for (const offer of step.offers ?? []) {
      if (offer !== 'best' && !offerIds.has(offer)) error(script.id, step.id, 'offers', `unknown offer "${offer}"`);
    }
    const answerIds = new Set<string>();
    step.answers.forEach((answer, k) => {
      if (answerIds.has(answer.id)) error(script.id, step.id, `answers[${k}].id`, `the answer id "${answer.id}" is used twice in this step`);
      answerIds.add(answer.id);
      text(step.id, `answers[${k}].label`, answer.label);
      if (answer.next !== null && !stepIds.has(answer.next)) error(script.id, step.id, `answers[${k}].next`, `leads to a step that does not exist: "${answer.next}"`);
      if (answer.next !== null && answer.outcome) error(script.id, step.id, `answers[${k}].outcome`, 'only an answer that ends the script (next: null) may have an outcome');
    });
  }

  // Every step must be reachable from the start, and from every reachable step the script must be able to end.
  const byId = new Map(script.steps.map((s) => [s.id, s]));
  const reachable = new Set<string>();
  const queue = [script.steps[0]?.id as string];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (reachable.has(id) || !byId.has(id)) continue;
    reachable.add(id);
    for (const answer of byId.get(id)?.answers ?? []) if (answer.next !== null) queue.push(answer.next);
  }
  for (const step of script.steps) if (!reachable.has(step.id)) error(script.id, step.id, '', 'no answer leads to this step, so no call can reach it');

  const canEnd = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const step of script.steps) {
      if (canEnd.has(step.id)) continue;
      if (step.answers.length === 0 || step.answers.some((a) => a.next === null || canEnd.has(a.next))) {
        canEnd.add(step.id);
        grew = true;
      }
    }
  }
  for (const id of reachable) if (!canEnd.has(id)) error(script.id, id, 'answers', 'every path from this step loops: the script can never end from here');
}
