/**
 * Measures the redactor.
 *
 *   npm run eval:redaction -- --corpus tests/fixtures/pii/corpus.json [--region US]
 *     recall per category (and per format) on a labelled corpus, false positives on its clean texts.
 *     Without --region each item is redacted with its own country as the phone region;
 *     with --region every item uses that one region (how a single-country deployment sees foreign formats).
 *
 *   npm run eval:redaction -- --dialogs PATH.json [--region US] [--examples 5] [--seed 1] [--plants 2]
 *     runs over customer-care dialogs (IBM Twitter CDP format) and reports what it found per
 *     category, and near-misses left behind: runs of 7+ digits and @handles.
 *     The dialogs carry no labels, so known values of every category (Luhn-valid cards, IBANs and
 *     national ids of several countries, e-mails, international and local phones, a synthetic
 *     profile's name, account and street) are planted into copies of real turns, in carrier
 *     phrases at random sentence boundaries (--plants per dialog, seeded by --seed), and recall is
 *     measured per category. The untouched originals give the false-positive figures: placeholders
 *     other than @handles in text where nothing was planted, with a sample of hits to judge.
 *
 * Planted values are synthetic. Examples otherwise show the redacted context and the shape of the
 * value (9 = digit, a = letter); the false-positive sample shows the hit in its original text,
 * since a person has to judge whether it is personal data.
 * The last line of stdout is one JSON object with the figures.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  PII_CATEGORIES,
  type PiiCategory,
  type RedactedSpan,
  createRedactor,
  emptyCounts,
  findNearMisses,
  labelCoverage,
  parseProfileInput,
  shapeOf,
} from '@shared/redaction/index';
import {
  LOCAL_PHONE_REGIONS,
  PLANT_KINDS,
  type PlantKind,
  type PlantedLabel,
  makePlant,
  makePlantProfile,
  plantInto,
  redactionProfileOf,
} from '@shared/redaction/planting';
import { createRandom } from '@shared/util/random';

const categorySchema = z.enum(PII_CATEGORIES);
const itemSchema = z.object({
  id: z.string(),
  country: z.string(),
  region: z.string().length(2),
  language: z.string(),
  text: z.string(),
  labels: z.array(z.object({ category: categorySchema, value: z.string().min(1), format: z.string() })),
  profile: z.string().optional(),
});
const corpusSchema = z.object({
  version: z.literal(1),
  profiles: z.record(z.string(), z.unknown()),
  items: z.array(itemSchema),
  clean: z.array(itemSchema),
});
type Corpus = z.infer<typeof corpusSchema>;

const dialogsSchema = z.array(
  z.object({
    dialogHeader: z.object({ company: z.string().optional() }).passthrough().optional(),
    dialogContent: z.array(z.object({ message: z.string() }).passthrough()),
    agentURL: z.object({ url_utterance: z.string().optional() }).passthrough().optional(),
  }),
);

class UserError extends Error {}

function readJson(path: string, what: string): unknown {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`Cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new UserError(`${what} ${path} is not valid JSON: ${(e as Error).message}`);
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

const pct = (n: number, d: number): number => (d === 0 ? Number.NaN : Math.round((10000 * n) / d) / 100);

function context(text: string, start: number, end: number, radius = 40): string {
  const from = Math.max(0, start - radius);
  const to = Math.min(text.length, end + radius);
  return (from > 0 ? '…' : '') + text.slice(from, to).replace(/\s+/g, ' ') + (to < text.length ? '…' : '');
}

function evaluateCorpus(corpus: Corpus, forcedRegion: string | undefined, exampleLimit: number) {
  const redactors = new Map<string, ReturnType<typeof createRedactor>>();
  const redactorFor = (region: string) => {
    const key = forcedRegion ?? region;
    let r = redactors.get(key);
    if (!r) {
      r = createRedactor({ defaultRegion: key });
      redactors.set(key, r);
    }
    return r;
  };
  const profileFor = (key: string | undefined) => {
    if (key === undefined) return undefined;
    const raw = corpus.profiles[key];
    if (raw === undefined) throw new UserError(`Corpus item refers to unknown profile "${key}"`);
    return parseProfileInput(raw);
  };

  const perCategory = new Map<PiiCategory, { total: number; redacted: number; correct: number }>();
  const perFormat = new Map<string, { total: number; redacted: number }>();
  const misses: string[] = [];
  let extraSpans = 0;
  const extraExamples: string[] = [];

  for (const item of corpus.items) {
    const result = redactorFor(item.region).redact(item.text, profileFor(item.profile));
    const labelRanges: { start: number; end: number }[] = [];
    for (const label of item.labels) {
      const start = item.text.indexOf(label.value);
      if (start < 0) throw new UserError(`Corpus item ${item.id}: labelled value does not occur in its text`);
      const end = start + label.value.length;
      labelRanges.push({ start, end });
      const outcome = labelCoverage(item.text, start, end, label.category, result.spans);
      const c = perCategory.get(label.category) ?? { total: 0, redacted: 0, correct: 0 };
      c.total++;
      if (outcome.redacted) c.redacted++;
      if (outcome.correctCategory) c.correct++;
      perCategory.set(label.category, c);
      const formatKey = `${label.category} ${item.country} ${label.format}`;
      const f = perFormat.get(formatKey) ?? { total: 0, redacted: 0 };
      f.total++;
      if (outcome.redacted) f.redacted++;
      perFormat.set(formatKey, f);
      if (!outcome.redacted && misses.length < exampleLimit * 4) {
        misses.push(`${item.id} ${label.category} ${label.format} shape=${shapeOf(label.value)} -> ${result.text}`);
      }
    }
    for (const span of result.spans) {
      if (labelRanges.some((l) => span.start < l.end && l.start < span.end)) continue;
      extraSpans++;
      if (extraExamples.length < exampleLimit) extraExamples.push(`${item.id} ${span.category}(${span.detector}) shape=${shapeOf(item.text.slice(span.start, span.end))}`);
    }
  }

  const falsePositives: string[] = [];
  let cleanWithFp = 0;
  let cleanSpans = 0;
  for (const item of corpus.clean) {
    const result = redactorFor(item.region).redact(item.text, profileFor(item.profile));
    if (result.spans.length > 0) cleanWithFp++;
    cleanSpans += result.spans.length;
    for (const span of result.spans) {
      falsePositives.push(`${item.id} ${span.category}(${span.detector}) "${item.text.slice(span.start, span.end)}" in: ${item.text}`);
    }
  }

  const recall: Record<string, { labels: number; recall: number; categoryCorrect: number }> = {};
  for (const category of PII_CATEGORIES) {
    const c = perCategory.get(category);
    if (c) recall[category] = { labels: c.total, recall: pct(c.redacted, c.total), categoryCorrect: pct(c.correct, c.total) };
  }
  const totals = [...perCategory.values()].reduce((a, c) => ({ total: a.total + c.total, redacted: a.redacted + c.redacted }), { total: 0, redacted: 0 });
  return {
    recall,
    overallRecall: pct(totals.redacted, totals.total),
    labels: totals.total,
    weakFormats: [...perFormat.entries()].filter(([, f]) => f.redacted < f.total).map(([k, f]) => `${k}: ${f.redacted}/${f.total}`),
    misses,
    extraSpans,
    extraExamples,
    clean: { texts: corpus.clean.length, textsWithFalsePositive: cleanWithFp, falsePositiveSpans: cleanSpans, examples: falsePositives },
  };
}

function evaluateDialogs(dialogs: z.infer<typeof dialogsSchema>, region: string, exampleLimit: number) {
  const redactor = createRedactor({ defaultRegion: region });
  const found = emptyCounts();
  const byDetector: Record<string, number> = {};
  const examples: Partial<Record<PiiCategory, string[]>> = {};
  const nearMiss = { digitRuns: 0, handles: 0 };
  const nearMissExamples: string[] = [];
  let messages = 0;
  let messagesChanged = 0;

  for (const dialog of dialogs) {
    // One conversation is one payload: its placeholders are numbered together.
    const session = redactor.createSession();
    const texts = [...dialog.dialogContent.map((t) => t.message), ...(dialog.agentURL?.url_utterance ? [dialog.agentURL.url_utterance] : [])];
    for (const text of texts) {
      messages++;
      const { text: redacted, spans } = session.redactDetailed(text);
      if (spans.length > 0) messagesChanged++;
      for (const span of spans as RedactedSpan[]) {
        found[span.category]++;
        byDetector[span.detector] = (byDetector[span.detector] ?? 0) + 1;
        const list = (examples[span.category] ??= []);
        if (list.length < exampleLimit && span.category !== 'HANDLE') {
          list.push(`shape=${shapeOf(text.slice(span.start, span.end))} (${span.detector}) ${context(redacted, redacted.indexOf(span.placeholder), redacted.indexOf(span.placeholder) + span.placeholder.length)}`);
        }
      }
      for (const miss of findNearMisses(redacted)) {
        if (miss.kind === 'digit-run') nearMiss.digitRuns++;
        else nearMiss.handles++;
        if (nearMissExamples.length < exampleLimit * 2) {
          const value = redacted.slice(miss.start, miss.end);
          const shown = `${redacted.slice(0, miss.start).slice(-40)}<${shapeOf(value)}>${redacted.slice(miss.end, miss.end + 40)}`;
          nearMissExamples.push(`${miss.kind}: …${shown.replace(/\s+/g, ' ')}…`);
        }
      }
    }
  }
  return { dialogs: dialogs.length, messages, messagesChanged, found, byDetector, nearMiss, examples, nearMissExamples };
}

type Dialog = z.infer<typeof dialogsSchema>[number];
const dialogTexts = (dialog: Dialog): string[] => [
  ...dialog.dialogContent.map((t) => t.message),
  ...(dialog.agentURL?.url_utterance ? [dialog.agentURL.url_utterance] : []),
];

function evaluatePlanted(dialogs: readonly Dialog[], region: string, options: { seed: number; plants: number; exampleLimit: number }) {
  if (!LOCAL_PHONE_REGIONS.includes(region)) throw new UserError(`--region ${region}: local phone numbers can be planted for ${LOCAL_PHONE_REGIONS.join(', ')} only`);
  const redactor = createRedactor({ defaultRegion: region });
  const random = createRandom(`plant-${options.seed}`);
  const byCategory = new Map<PiiCategory, { total: number; redacted: number; correct: number }>();
  const byKind = new Map<PlantKind, { total: number; redacted: number }>();
  const byFormat = new Map<string, { total: number; redacted: number }>();
  const misses: string[] = [];
  let kindCursor = 0;
  const fp = { turns: 0, turnsWithHit: 0, spans: emptyCounts(), handleSpans: 0, examples: [] as string[] };

  for (const dialog of dialogs) {
    const texts = dialogTexts(dialog);
    if (texts.length === 0) continue;
    const profile = makePlantProfile(random);
    const redactionProfile = redactionProfileOf(profile);

    // The untouched turns: every placeholder but a handle is a false positive unless a person says otherwise.
    const original = redactor.createSession(redactionProfile);
    for (const text of texts) {
      const { spans } = original.redactDetailed(text);
      fp.turns++;
      const hits = spans.filter((span) => span.category !== 'HANDLE');
      fp.handleSpans += spans.length - hits.length;
      if (hits.length > 0) fp.turnsWithHit++;
      for (const span of hits) {
        fp.spans[span.category]++;
        if (fp.examples.length < options.exampleLimit * 4) {
          fp.examples.push(`${span.category}(${span.detector}) "${text.slice(span.start, span.end)}" in: ${context(text, span.start, span.end, 60)}`);
        }
      }
    }

    // Copies of the turns with known values planted; one payload per dialog, as in production.
    const planted = texts.map((text) => ({ text, labels: [] as PlantedLabel[] }));
    for (let k = 0; k < options.plants; k++) {
      const kind = PLANT_KINDS[kindCursor++ % PLANT_KINDS.length] as PlantKind;
      const turn = random.pick(planted);
      Object.assign(turn, plantInto(random, turn.text, turn.labels, makePlant(random, kind, profile, region)));
    }
    const session = redactor.createSession(redactionProfile);
    for (const turn of planted) {
      if (turn.labels.length === 0) continue;
      const { text: redacted, spans } = session.redactDetailed(turn.text);
      for (const label of turn.labels) {
        const outcome = labelCoverage(turn.text, label.start, label.end, label.category, spans);
        const c = byCategory.get(label.category) ?? { total: 0, redacted: 0, correct: 0 };
        c.total++;
        if (outcome.redacted) c.redacted++;
        if (outcome.correctCategory) c.correct++;
        byCategory.set(label.category, c);
        const kc = byKind.get(label.kind) ?? { total: 0, redacted: 0 };
        kc.total++;
        if (outcome.redacted) kc.redacted++;
        byKind.set(label.kind, kc);
        const f = byFormat.get(`${label.category} ${label.format}`) ?? { total: 0, redacted: 0 };
        f.total++;
        if (outcome.redacted) f.redacted++;
        byFormat.set(`${label.category} ${label.format}`, f);
        if (!outcome.redacted && misses.length < options.exampleLimit * 4) {
          misses.push(`${label.category} ${label.format} shape=${shapeOf(label.value)} -> ${context(redacted, Math.max(0, label.start - 10), label.start, 60)}`);
        }
      }
    }
  }

  const recall: Record<string, number> = {};
  const categoryCorrect: Record<string, number> = {};
  const labels: Record<string, number> = {};
  for (const category of PII_CATEGORIES) {
    const c = byCategory.get(category);
    if (!c) continue;
    recall[category] = pct(c.redacted, c.total);
    categoryCorrect[category] = pct(c.correct, c.total);
    labels[category] = c.total;
  }
  const totals = [...byCategory.values()].reduce((a, c) => ({ total: a.total + c.total, redacted: a.redacted + c.redacted }), { total: 0, redacted: 0 });
  return {
    seed: options.seed,
    plantsPerDialog: options.plants,
    labels,
    recall,
    categoryCorrect,
    recallByKind: Object.fromEntries([...byKind.entries()].map(([k, v]) => [k, pct(v.redacted, v.total)])),
    overallRecall: pct(totals.redacted, totals.total),
    values: totals.total,
    weakFormats: [...byFormat.entries()].filter(([, f]) => f.redacted < f.total).map(([k, f]) => `${k}: ${f.redacted}/${f.total}`).sort(),
    misses,
    falsePositives: {
      turns: fp.turns,
      turnsWithPlaceholder: fp.turnsWithHit,
      turnsWithPlaceholderPct: pct(fp.turnsWithHit, fp.turns),
      placeholders: Object.values(fp.spans).reduce((a, b) => a + b, 0),
      placeholdersPer1000Turns: Math.round((10_000 * Object.values(fp.spans).reduce((a, b) => a + b, 0)) / Math.max(1, fp.turns)) / 10,
      byCategory: Object.fromEntries(Object.entries(fp.spans).filter(([, n]) => n > 0)),
      handlePlaceholders: fp.handleSpans,
      examples: fp.examples,
    },
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' },
      dialogs: { type: 'string' },
      region: { type: 'string' },
      examples: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      plants: { type: 'string', default: '2' },
    },
    strict: true,
  });
  if (!values.corpus && !values.dialogs) throw new UserError('Give --corpus PATH (labelled corpus) and/or --dialogs PATH (customer-care dialogs JSON).');
  if (values.region !== undefined && !/^[A-Za-z]{2}$/.test(values.region)) throw new UserError(`--region must be a two-letter code such as US or IL, not "${values.region}"`);
  const exampleLimit = Number(values.examples);
  if (!Number.isInteger(exampleLimit) || exampleLimit < 0) throw new UserError('--examples must be a whole number');
  const region = values.region?.toUpperCase();
  const seed = Number(values.seed);
  const plants = Number(values.plants);
  if (!Number.isInteger(seed)) throw new UserError('--seed must be a whole number');
  if (!Number.isInteger(plants) || plants < 0 || plants > 50) throw new UserError('--plants must be a whole number from 0 to 50');
  const summary: Record<string, unknown> = {};

  if (values.corpus) {
    const parsed = corpusSchema.safeParse(readJson(values.corpus, 'corpus'));
    if (!parsed.success) throw new UserError(`Corpus ${values.corpus} is not in the expected format: ${describeIssues(parsed.error)}`);
    const r = evaluateCorpus(parsed.data, region, exampleLimit);
    const out = process.stdout;
    out.write(`Redaction corpus ${values.corpus} (${r.labels} labels, phone region: ${region ?? 'per item'})\n`);
    out.write('category       labels  recall%  right-category%\n');
    for (const [category, v] of Object.entries(r.recall)) {
      out.write(`${category.padEnd(14)} ${String(v.labels).padStart(6)}  ${String(v.recall).padStart(7)}  ${String(v.categoryCorrect).padStart(15)}\n`);
    }
    out.write(`overall recall ${r.overallRecall}%\n`);
    if (r.weakFormats.length > 0) out.write(`formats not fully redacted:\n  ${r.weakFormats.join('\n  ')}\n`);
    if (r.misses.length > 0) out.write(`missed (shape only):\n  ${r.misses.join('\n  ')}\n`);
    out.write(`extra spans in labelled texts (outside labels): ${r.extraSpans}\n`);
    if (r.extraExamples.length > 0) out.write(`  ${r.extraExamples.join('\n  ')}\n`);
    out.write(`clean texts: ${r.clean.texts}, with a false positive: ${r.clean.textsWithFalsePositive}, false-positive spans: ${r.clean.falsePositiveSpans}\n`);
    if (r.clean.examples.length > 0) out.write(`  ${r.clean.examples.join('\n  ')}\n`);
    summary.corpus = {
      path: values.corpus,
      region: region ?? 'per-item',
      labels: r.labels,
      recall: Object.fromEntries(Object.entries(r.recall).map(([k, v]) => [k, v.recall])),
      categoryCorrect: Object.fromEntries(Object.entries(r.recall).map(([k, v]) => [k, v.categoryCorrect])),
      overallRecall: r.overallRecall,
      extraSpans: r.extraSpans,
      cleanTexts: r.clean.texts,
      cleanTextsWithFalsePositive: r.clean.textsWithFalsePositive,
      cleanFalsePositiveSpans: r.clean.falsePositiveSpans,
    };
  }

  if (values.dialogs) {
    const parsed = dialogsSchema.safeParse(readJson(values.dialogs, 'dialogs file'));
    if (!parsed.success) throw new UserError(`Dialogs file ${values.dialogs} is not a list of dialogs with dialogContent[].message: ${describeIssues(parsed.error)}`);
    const r = evaluateDialogs(parsed.data, region ?? 'US', exampleLimit);
    const out = process.stdout;
    out.write(`\nDialogs ${values.dialogs}: ${r.dialogs} conversations, ${r.messages} messages, ${r.messagesChanged} changed (phone region ${region ?? 'US'})\n`);
    out.write(`found by category: ${JSON.stringify(r.found)}\n`);
    out.write(`found by detector: ${JSON.stringify(r.byDetector)}\n`);
    for (const [category, list] of Object.entries(r.examples)) {
      if (list && list.length > 0) out.write(`${category} examples:\n  ${list.join('\n  ')}\n`);
    }
    out.write(`near-misses left: ${r.nearMiss.digitRuns} digit runs of 7+, ${r.nearMiss.handles} @handles\n`);
    if (r.nearMissExamples.length > 0) out.write(`  ${r.nearMissExamples.join('\n  ')}\n`);
    const p = evaluatePlanted(parsed.data, region ?? 'US', { seed, plants, exampleLimit });
    out.write(`\nPlanted ${p.values} known values (${p.plantsPerDialog} per dialog, seed ${p.seed}) into copies of the turns\n`);
    out.write('category       values  recall%  right-category%\n');
    for (const [category, n] of Object.entries(p.labels)) {
      out.write(`${category.padEnd(14)} ${String(n).padStart(6)}  ${String(p.recall[category]).padStart(7)}  ${String(p.categoryCorrect[category]).padStart(15)}\n`);
    }
    out.write(`by kind: ${JSON.stringify(p.recallByKind)}\noverall recall ${p.overallRecall}%\n`);
    if (p.weakFormats.length > 0) out.write(`formats not fully redacted:\n  ${p.weakFormats.join('\n  ')}\n`);
    if (p.misses.length > 0) out.write(`missed (shape only):\n  ${p.misses.join('\n  ')}\n`);
    const f = p.falsePositives;
    out.write(`\nUntouched turns: ${f.turns}; with a placeholder other than a handle: ${f.turnsWithPlaceholder} (${f.turnsWithPlaceholderPct}%), ${f.placeholders} placeholders (${f.placeholdersPer1000Turns} per 1000 turns) ${JSON.stringify(f.byCategory)}; handles: ${f.handlePlaceholders}\n`);
    if (f.examples.length > 0) out.write(`sample hits to judge:\n  ${f.examples.join('\n  ')}\n`);
    summary.dialogs = {
      path: values.dialogs, conversations: r.dialogs, messages: r.messages, messagesChanged: r.messagesChanged, found: r.found, nearMissDigitRuns: r.nearMiss.digitRuns, nearMissHandles: r.nearMiss.handles,
      planted: { seed: p.seed, plantsPerDialog: p.plantsPerDialog, values: p.values, labels: p.labels, recall: p.recall, categoryCorrect: p.categoryCorrect, recallByKind: p.recallByKind, overallRecall: p.overallRecall },
      falsePositives: {
        turns: f.turns, turnsWithPlaceholder: f.turnsWithPlaceholder, turnsWithPlaceholderPct: f.turnsWithPlaceholderPct, placeholders: f.placeholders,
        placeholdersPer1000Turns: f.placeholdersPer1000Turns, byCategory: f.byCategory, handlePlaceholders: f.handlePlaceholders,
      },
    };
  }

  process.stdout.write(JSON.stringify(summary) + '\n');
}

try {
  main();
} catch (e) {
  if (e instanceof UserError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`eval-redaction: ${(e as Error).message}\n`);
    process.exit(2);
  }
  throw e;
}
