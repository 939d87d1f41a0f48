import { type Candidate, type Range } from './candidate';
import { type PiiCategory, emptyCounts, lookalikePlaceholderPattern, placeholderFor } from './categories';
import { type RedactionConfig, type RedactionConfigInput, redactionConfigSchema } from './config';
import { detectAnnouncedAccounts } from './detectors/accounts';
import { detectCards } from './detectors/cards';
import { detectEmails } from './detectors/email';
import { detectHandles } from './detectors/handles';
import { detectAnnouncedNames } from './detectors/names';
import { detectIbans } from './detectors/iban';
import { NATIONAL_ID_RULES, type NationalIdRule, detectNationalIds } from './detectors/national-ids';
import { detectAnnouncedPhones, detectPhoneShapedRuns, detectPhones } from './detectors/phones';
import { detectProfileValues } from './detectors/profile';
import { findUrls } from './detectors/urls';
import { foldWithOffsets } from './folding';
import { EMPTY_PROFILE, type RedactionProfile } from './profile';
import { resolveOverlaps } from './resolve';

/** Placeholder -> the original text it stands for. Stays on the device. */
export type RedactionMapping = Readonly<Record<string, string>>;

export interface RedactedSpan {
  /** Offsets in the original text. */
  readonly start: number;
  readonly end: number;
  readonly category: PiiCategory;
  readonly placeholder: string;
  readonly detector: string;
}

export interface RedactionResult {
  readonly text: string;
  readonly mapping: RedactionMapping;
  readonly spans: readonly RedactedSpan[];
  /** Occurrences replaced, per category. */
  readonly counts: Record<PiiCategory, number>;
}

/**
 * One payload's redaction state: every text redacted through the same session
 * shares placeholder numbering, so the same card is [CARD_1] everywhere in it.
 */
export interface RedactionSession {
  redact(text: string): string;
  redactDetailed(text: string): { text: string; spans: RedactedSpan[] };
  readonly mapping: RedactionMapping;
  /** Occurrences replaced so far, per category. */
  counts(): Record<PiiCategory, number>;
  /** Distinct values (placeholders) so far, per category. */
  distinctCounts(): Record<PiiCategory, number>;
}

export interface Redactor {
  readonly config: RedactionConfig;
  /** The spans that would be replaced, after overlap resolution. */
  detect(text: string, profile?: RedactionProfile): Candidate[];
  createSession(profile?: RedactionProfile): RedactionSession;
  redact(text: string, profile?: RedactionProfile): RedactionResult;
}

/** Customer text that imitates a placeholder is rewritten so it can never be mistaken for one. */
function defangLookalikes(text: string): { spans: { start: number; end: number; replacement: string }[] } {
  const spans: { start: number; end: number; replacement: string }[] = [];
  for (const m of text.matchAll(lookalikePlaceholderPattern())) {
    const label = (m[1] as string).toUpperCase().replace(/[ _-]/g, ' ');
    spans.push({ start: m.index, end: m.index + m[0].length, replacement: `(${label} ${m[2]})` });
  }
  return { spans };
}

export function createRedactor(input: RedactionConfigInput = {}): Redactor {
  const config = redactionConfigSchema.parse(input);
  const countries = config.nationalIdCountries ? new Set(config.nationalIdCountries) : null;
  const rules: NationalIdRule[] = NATIONAL_ID_RULES.filter((r) => countries === null || countries.has(r.country));
  const regions = [config.defaultRegion, ...config.extraPhoneRegions.filter((r) => r !== config.defaultRegion)];
  const allowlist = new Set(config.handleAllowlist.map((h) => h.replace(/^@/, '').toLowerCase()));

  function detect(text: string, profile: RedactionProfile = EMPTY_PROFILE, shielded: readonly Range[] = []): Candidate[] {
    const urls = findUrls(text);
    const noDigitsHere = [...urls, ...shielded];
    const candidates: Candidate[] = [
      ...detectEmails(text, shielded),
      ...detectCards(text, shielded),
      ...detectIbans(text, shielded),
      ...detectNationalIds(text, noDigitsHere, rules),
      ...detectPhones(text, noDigitsHere, regions),
      ...(config.phoneFallback ? [...detectPhoneShapedRuns(text, noDigitsHere), ...detectAnnouncedPhones(text, noDigitsHere)] : []),
      ...(config.announcedAccounts ? detectAnnouncedAccounts(text, noDigitsHere) : []),
      ...(config.redactHandles ? detectHandles(text, noDigitsHere, allowlist) : []),
      ...(config.announcedNames ? detectAnnouncedNames(text, urls) : []),
      ...detectProfileValues(text, foldWithOffsets(text), profile, config.defaultRegion),
    ];
    const outside = candidates.filter((c) => !shielded.some((s) => c.start < s.end && s.start < c.end));
    return resolveOverlaps(outside);
  }

  function createSession(profile: RedactionProfile = EMPTY_PROFILE): RedactionSession {
    const byKey = new Map<string, string>();
    const mapping: Record<string, string> = {};
    const next = emptyCounts();
    const occurrences = emptyCounts();

    const placeholderOf = (c: Candidate, original: string): string => {
      const key = `${c.category}\u0000${c.key}`;
      const existing = byKey.get(key);
      if (existing) return existing;
      next[c.category] += 1;
      const placeholder = placeholderFor(c.category, next[c.category]);
      byKey.set(key, placeholder);
      mapping[placeholder] = original;
      return placeholder;
    };

    const redactDetailed = (text: string): { text: string; spans: RedactedSpan[] } => {
      const { spans: defanged } = defangLookalikes(text);
      const found = detect(text, profile, defanged);
      type Edit = { start: number; end: number; replacement: string; span?: RedactedSpan };
      const edits: Edit[] = defanged.map((d) => ({ ...d }));
      for (const c of found) {
        const placeholder = placeholderOf(c, text.slice(c.start, c.end));
        occurrences[c.category] += 1;
        const span: RedactedSpan = { start: c.start, end: c.end, category: c.category, placeholder, detector: c.detector };
        edits.push({ start: c.start, end: c.end, replacement: placeholder, span });
      }
      edits.sort((a, b) => a.start - b.start);
      let out = '';
      let cursor = 0;
      for (const e of edits) {
        out += text.slice(cursor, e.start) + e.replacement;
        cursor = e.end;
      }
      out += text.slice(cursor);
      return { text: out, spans: edits.flatMap((e) => (e.span ? [e.span] : [])) };
    };

    return {
      redact: (text) => redactDetailed(text).text,
      redactDetailed,
      mapping,
      counts: () => ({ ...occurrences }),
      distinctCounts: () => ({ ...next }),
    };
  }

  return {
    config,
    detect: (text, profile) => detect(text, profile ?? EMPTY_PROFILE, defangLookalikes(text).spans),
    createSession,
    redact(text, profile) {
      const session = createSession(profile);
      const { text: redacted, spans } = session.redactDetailed(text);
      return { text: redacted, spans, mapping: { ...session.mapping }, counts: session.counts() };
    },
  };
}
