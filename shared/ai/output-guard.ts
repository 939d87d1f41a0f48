import { z } from 'zod';
import {
  type DisplayPolicy,
  type RedactionMapping,
  type RedactionProfile,
  type Redactor,
  DEFAULT_DISPLAY_POLICY,
  createRedactor,
  restoreForDisplay,
  unknownPlaceholders,
} from '@shared/redaction/index';
import { type Disposition, dispositionSchema } from '@shared/summary/index';

export const MAX_MODEL_BULLETS = 5;
const MAX_LINE = 400;

export type DropReason = 'unknown-placeholder' | 'unredacted-pii' | 'instruction-echo' | 'over-limit' | 'heading';

export interface DroppedLine {
  /** As the model wrote it (placeholders not restored), for diagnostics only. */
  readonly line: string;
  readonly reason: DropReason;
}

export type LineVerdict = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: DropReason };

/** Text that tells of a successful injection rather than a fact about the customer. */
const INSTRUCTION_ECHO = /\b(?:ignore|disregard) (?:all |any )?(?:the )?(?:previous|prior|above) (?:instructions|rules)|\bsystem prompt\b|^\s*(?:system|assistant|user)\s*:/i;
const BULLET_MARKER = /^\s*(?:[-*•·–—]|\d{1,2}[.)])\s*/u;

/**
 * The output checker. Model text is checked before anything is restored or
 * shown: a line that names a placeholder the mapping does not know, or that
 * contains what looks like personal data (the model never saw any, so it was
 * invented or injected), is dropped whole. A line that passes gets its
 * placeholders back as the display policy says: names and contact details
 * restored, cards, IBANs, national ids and account numbers masked, so even an
 * obeyed "print the card number" shows only its last digits.
 */
export interface OutputGuard {
  checkLine(rawLine: string): LineVerdict;
}

export function createOutputGuard(mapping: RedactionMapping, options: { region?: string; profile?: RedactionProfile; redactor?: Redactor; display?: DisplayPolicy } = {}): OutputGuard {
  // Names introduced by "this is ..." would flag ordinary sentences; everything else is checked.
  const redactor = options.redactor ?? createRedactor({ defaultRegion: options.region ?? 'US', announcedNames: false });
  return {
    checkLine(rawLine) {
      const line = rawLine.replace(BULLET_MARKER, '').trim();
      if (unknownPlaceholders(line, mapping).length > 0) return { ok: false, reason: 'unknown-placeholder' };
      if (INSTRUCTION_ECHO.test(line)) return { ok: false, reason: 'instruction-echo' };
      if (redactor.detect(line, options.profile).length > 0) return { ok: false, reason: 'unredacted-pii' };
      const chars = [...line];
      const capped = chars.length > MAX_LINE ? chars.slice(0, MAX_LINE - 1).join('') + '…' : line;
      return { ok: true, text: restoreForDisplay(capped, mapping, options.display ?? DEFAULT_DISPLAY_POLICY) };
    },
  };
}

export interface ValidatedBrief {
  /** Restored, ready to show; at most five. */
  readonly bullets: readonly string[];
  readonly dropped: readonly DroppedLine[];
}

function isNoise(line: string): 'skip' | 'heading' | null {
  const t = line.trim();
  if (t.length === 0 || /^`{3}/.test(t)) return 'skip';
  // "Brief:" or "**Summary**" on its own line.
  if (!BULLET_MARKER.test(t) && /^(?:\*\*)?[^\s].{0,40}(?::|\*\*)$/u.test(t)) return 'heading';
  return null;
}

/**
 * Splits streamed model text into lines and checks each complete line, so a
 * bullet is shown only after it passed. Stops accepting after five.
 */
export class BriefLineValidator {
  private buffer = '';
  private readonly accepted: string[] = [];
  private readonly droppedLines: DroppedLine[] = [];

  constructor(private readonly guard: OutputGuard) {}

  /** Feeds a text delta; returns the bullets completed and accepted by it. */
  push(delta: string): string[] {
    this.buffer += delta;
    const out: string[] = [];
    let newline = this.buffer.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      const accepted = this.take(line);
      if (accepted !== null) out.push(accepted);
      newline = this.buffer.indexOf('\n');
    }
    return out;
  }

  /** Flushes the last line (a stream may end without a newline). */
  end(): string[] {
    const line = this.buffer;
    this.buffer = '';
    const accepted = this.take(line);
    return accepted === null ? [] : [accepted];
  }

  get bullets(): readonly string[] {
    return this.accepted;
  }

  get dropped(): readonly DroppedLine[] {
    return this.droppedLines;
  }

  private take(line: string): string | null {
    const noise = isNoise(line);
    if (noise === 'skip') return null;
    if (noise === 'heading') {
      this.droppedLines.push({ line, reason: 'heading' });
      return null;
    }
    if (this.accepted.length >= MAX_MODEL_BULLETS) {
      this.droppedLines.push({ line, reason: 'over-limit' });
      return null;
    }
    const verdict = this.guard.checkLine(line);
    if (!verdict.ok) {
      this.droppedLines.push({ line, reason: verdict.reason });
      return null;
    }
    this.accepted.push(verdict.text);
    return verdict.text;
  }
}

export function validateBriefOutput(raw: string, guard: OutputGuard): ValidatedBrief {
  const v = new BriefLineValidator(guard);
  v.push(raw);
  v.end();
  return { bullets: [...v.bullets], dropped: [...v.dropped] };
}

const wrapUpOutputSchema = z.object({
  summary: z.string().min(1).max(2_000),
  disposition: dispositionSchema,
  followUps: z.array(z.string().max(300)).max(20).default([]),
});

export interface ValidatedWrapUp {
  readonly summary: string;
  readonly disposition: Disposition;
  readonly followUps: readonly string[];
  readonly dropped: readonly DroppedLine[];
}

/** The first {...} object in the text, tolerating code fences and chatter around it. */
function extractJsonObject(raw: string): unknown {
  const start = raw.indexOf('{');
  const end = raw.lastIndexOf('}');
  if (start < 0 || end <= start) return undefined;
  try {
    return JSON.parse(raw.slice(start, end + 1));
  } catch {
    return undefined;
  }
}

/**
 * Parses and checks the model's wrap-up. Returns null when the format is
 * wrong or the summary itself fails the checks; a failing follow-up is dropped.
 */
export function parseWrapUpOutput(raw: string, guard: OutputGuard): ValidatedWrapUp | null {
  const parsed = wrapUpOutputSchema.safeParse(extractJsonObject(raw));
  if (!parsed.success) return null;
  const dropped: DroppedLine[] = [];
  const summaryVerdict = guard.checkLine(parsed.data.summary.replace(/\s+/g, ' '));
  if (!summaryVerdict.ok) return null;
  const followUps: string[] = [];
  for (const f of parsed.data.followUps) {
    if (followUps.length >= MAX_MODEL_BULLETS) {
      dropped.push({ line: f, reason: 'over-limit' });
      continue;
    }
    const verdict = guard.checkLine(f);
    if (verdict.ok) followUps.push(verdict.text);
    else dropped.push({ line: f, reason: verdict.reason });
  }
  return { summary: summaryVerdict.text, disposition: parsed.data.disposition, followUps, dropped };
}
