import { z } from 'zod';
import { type Language, languageSchema } from '@shared/domain/language';
import { AMOUNT, WRAP_UP_LEXICONS, type WrapUpLexicon } from './wrap-up-lexicon';

export const DISPOSITIONS = ['retained', 'churned', 'undecided', 'not_retention', 'callback'] as const;
export const dispositionSchema = z.enum(DISPOSITIONS);
export type Disposition = z.infer<typeof dispositionSchema>;

export const FOLLOW_UP_KINDS = ['callback', 'apply_credit', 'refund', 'send_info', 'escalate', 'technician', 'waive_fee', 'other'] as const;
export type FollowUpKind = (typeof FOLLOW_UP_KINDS)[number];

export interface FollowUp {
  readonly kind: FollowUpKind;
  /** In the agent's UI language, e.g. "Call back Friday 2024-05-10". */
  readonly text: string;
  /** YYYY-MM-DD when the notes say when. */
  readonly due: string | null;
  /** The amount as written ("$20"), for credits and refunds. */
  readonly amount: string | null;
}

export interface WrapUpDraft {
  readonly source: 'on-device' | 'model';
  readonly summary: string;
  readonly disposition: Disposition;
  /** high: an explicit outcome phrase; medium: a callback or hesitation phrase; low: inferred from topic words only. */
  readonly confidence: 'high' | 'medium' | 'low';
  /** The phrase the disposition rests on, quoted from the notes (empty when none). */
  readonly cue: string;
  readonly followUps: readonly FollowUp[];
}

export const transcriptTurnSchema = z.object({ speaker: z.enum(['agent', 'customer']), text: z.string() });
export type TranscriptTurn = z.infer<typeof transcriptTurnSchema>;

export const wrapUpInputSchema = z.object({
  notes: z.string().max(20_000),
  transcript: z.array(transcriptTurnSchema).max(2_000).optional(),
  language: languageSchema,
  /** The moment of the wrap-up (ISO); relative days ("Friday", "tomorrow") count from its date. */
  now: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO date-time'),
});
export type WrapUpInput = z.infer<typeof wrapUpInputSchema>;

interface WrapUpTemplates {
  readonly weekday: readonly string[];
  callback(when: string | null): string;
  credit(amount: string | null): string;
  refund(amount: string | null): string;
  readonly sendInfo: string;
  readonly escalate: string;
  readonly technician: string;
  readonly waiveFee: string;
  readonly customerSaid: string;
  readonly agentSaid: string;
}

const TEMPLATES: Readonly<Record<Language, WrapUpTemplates>> = {
  en: {
    weekday: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
    callback: (when) => (when ? `Call back ${when}` : 'Call back'),
    credit: (a) => (a ? `Apply credit of ${a}` : 'Apply credit'),
    refund: (a) => (a ? `Issue refund of ${a}` : 'Issue refund'),
    sendInfo: 'Send the confirmation/details',
    escalate: 'Escalate to a supervisor',
    technician: 'Book a technician visit',
    waiveFee: 'Waive the fee',
    customerSaid: 'Customer',
    agentSaid: 'Agent',
  },
  he: {
    weekday: ['יום ראשון', 'יום שני', 'יום שלישי', 'יום רביעי', 'יום חמישי', 'יום שישי', 'שבת'],
    callback: (when) => (when ? `לחזור ללקוח ב${when}` : 'לחזור ללקוח'),
    credit: (a) => (a ? `לתת זיכוי של ${a}` : 'לתת זיכוי'),
    refund: (a) => (a ? `לבצע החזר של ${a}` : 'לבצע החזר'),
    sendInfo: 'לשלוח אישור/פרטים',
    escalate: 'להעביר למנהל',
    technician: 'לתאם ביקור טכנאי',
    waiveFee: 'לבטל את העמלה',
    customerSaid: 'לקוח',
    agentSaid: 'נציג',
  },
  ru: {
    weekday: ['воскресенье', 'понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота'],
    callback: (when) => (when ? `Перезвонить: ${when}` : 'Перезвонить'),
    credit: (a) => (a ? `Начислить компенсацию ${a}` : 'Начислить компенсацию'),
    refund: (a) => (a ? `Оформить возврат ${a}` : 'Оформить возврат'),
    sendInfo: 'Отправить подтверждение/детали',
    escalate: 'Передать руководителю',
    technician: 'Назначить выезд техника',
    waiveFee: 'Отменить комиссию',
    customerSaid: 'Клиент',
    agentSaid: 'Оператор',
  },
  zh: {
    weekday: ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'],
    callback: (when) => (when ? `回电：${when}` : '回电'),
    credit: (a) => (a ? `发放补偿 ${a}` : '发放补偿'),
    refund: (a) => (a ? `办理退款 ${a}` : '办理退款'),
    sendInfo: '发送确认/详情',
    escalate: '转交主管',
    technician: '预约技术员上门',
    waiveFee: '免除费用',
    customerSaid: '客户',
    agentSaid: '坐席',
  },
  es: {
    weekday: ['domingo', 'lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado'],
    callback: (when) => (when ? `Volver a llamar el ${when}` : 'Volver a llamar'),
    credit: (a) => (a ? `Aplicar crédito de ${a}` : 'Aplicar crédito'),
    refund: (a) => (a ? `Tramitar reembolso de ${a}` : 'Tramitar reembolso'),
    sendInfo: 'Enviar la confirmación/los detalles',
    escalate: 'Escalar a un supervisor',
    technician: 'Programar visita técnica',
    waiveFee: 'Anular la comisión',
    customerSaid: 'Cliente',
    agentSaid: 'Agente',
  },
  ar: {
    weekday: ['الأحد', 'الاثنين', 'الثلاثاء', 'الأربعاء', 'الخميس', 'الجمعة', 'السبت'],
    callback: (when) => (when ? `معاودة الاتصال يوم ${when}` : 'معاودة الاتصال'),
    credit: (a) => (a ? `إضافة رصيد بقيمة ${a}` : 'إضافة رصيد'),
    refund: (a) => (a ? `استرداد مبلغ ${a}` : 'استرداد المبلغ'),
    sendInfo: 'إرسال التأكيد/التفاصيل',
    escalate: 'التصعيد إلى المشرف',
    technician: 'حجز زيارة فني',
    waiveFee: 'إلغاء الرسوم',
    customerSaid: 'العميل',
    agentSaid: 'الموظف',
  },
};

const NEGATION_WINDOW = 22;
const DATE_SEARCH_WINDOW = 70;
const DATE_LOOKBEHIND = 16;
const MAX_SUMMARY = 300;

interface Hit {
  readonly index: number;
  readonly text: string;
}

function global(re: RegExp): RegExp {
  return new RegExp(re.source, re.flags.includes('g') ? re.flags : re.flags + 'g');
}

/** Every match of `re`, split into those negated just before and those not. */
function hits(text: string, re: RegExp, negation: RegExp): { plain: Hit[]; negated: Hit[] } {
  const plain: Hit[] = [];
  const negated: Hit[] = [];
  for (const m of text.matchAll(global(re))) {
    const before = text.slice(Math.max(0, m.index - NEGATION_WINDOW), m.index);
    (negation.test(before) ? negated : plain).push({ index: m.index, text: m[0] });
  }
  return { plain, negated };
}

const lastOf = (list: readonly Hit[]): Hit | null => list.reduce<Hit | null>((best, h) => (best === null || h.index > best.index ? h : best), null);
const firstOf = (list: readonly Hit[]): Hit | null => list.reduce<Hit | null>((best, h) => (best === null || h.index < best.index ? h : best), null);

function addDays(isoDay: string, days: number): string {
  const d = new Date(`${isoDay}T12:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The date expression in `window` closest to position `anchor`, resolved against `today`. */
function resolveDate(window: string, anchor: number, today: string): { due: string; weekday: number | null } | null {
  const iso = /\b(\d{4}-\d{2}-\d{2})\b/.exec(window);
  const found: { at: number; due: string; weekday: number | null }[] = [];
  if (iso && !Number.isNaN(Date.parse(iso[1] as string))) found.push({ at: iso.index, due: iso[1] as string, weekday: null });
  const todayWeekday = new Date(`${today}T12:00:00.000Z`).getUTCDay();
  for (const lex of WRAP_UP_LEXICONS) {
    for (const [re, weekday] of lex.weekdays) {
      const m = re.exec(window);
      // The next such day strictly after today: "Friday" said on a Friday means next week.
      if (m) found.push({ at: m.index, due: addDays(today, ((weekday - todayWeekday + 6) % 7) + 1), weekday });
    }
    const tomorrow = lex.tomorrow.exec(window);
    if (tomorrow) found.push({ at: tomorrow.index, due: addDays(today, 1), weekday: null });
    const nextWeek = lex.nextWeek.exec(window);
    if (nextWeek) found.push({ at: nextWeek.index, due: addDays(today, 7), weekday: null });
    const inDays = lex.inDays.exec(window);
    if (inDays) found.push({ at: inDays.index, due: addDays(today, Number(inDays[1])), weekday: null });
  }
  const closest = found.sort((a, b) => Math.abs(a.at - anchor) - Math.abs(b.at - anchor) || a.at - b.at)[0];
  return closest ? { due: closest.due, weekday: closest.weekday } : null;
}

function firstSentences(text: string, limit: number): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if ([...clean].length <= limit) return clean;
  const sentences = clean.match(/[^.!?。！？]+[.!?。！？]*/gu) ?? [clean];
  let out = '';
  for (const s of sentences) {
    if ([...(out + s)].length > limit) break;
    out += s;
  }
  if (out.length === 0) out = [...clean].slice(0, limit - 1).join('') + '…';
  return out.trim();
}

function buildSummary(input: WrapUpInput, t: WrapUpTemplates): string {
  if (input.notes.trim().length > 0) return firstSentences(input.notes, MAX_SUMMARY);
  const turns = input.transcript ?? [];
  const customer = turns.find((turn) => turn.speaker === 'customer' && turn.text.trim().length > 0);
  const agent = [...turns].reverse().find((turn) => turn.speaker === 'agent' && turn.text.trim().length > 0);
  const parts: string[] = [];
  if (customer) parts.push(`${t.customerSaid}: ${firstSentences(customer.text, 140)}`);
  if (agent) parts.push(`${t.agentSaid}: ${firstSentences(agent.text, 140)}`);
  return parts.join(' ');
}

function decideDisposition(text: string): Pick<WrapUpDraft, 'disposition' | 'confidence' | 'cue'> {
  const outcome: { disposition: Disposition; hit: Hit }[] = [];
  const callbacks: Hit[] = [];
  const hesitations: Hit[] = [];
  let context: Hit | null = null;
  for (const lex of WRAP_UP_LEXICONS) {
    const churned = hits(text, lex.churned, lex.negationBefore);
    const retained = hits(text, lex.retained, lex.negationBefore);
    for (const h of churned.plain) outcome.push({ disposition: 'churned', hit: h });
    for (const h of retained.plain) outcome.push({ disposition: 'retained', hit: h });
    // "did not accept", "not cancelled": the customer has not decided.
    hesitations.push(...retained.negated, ...churned.negated, ...hits(text, lex.undecided, lex.negationBefore).plain);
    callbacks.push(...hits(text, lex.callback, lex.negationBefore).plain);
    context ??= firstOf(hits(text, lex.retentionContext, /$^/).plain);
  }
  // The latest explicit outcome wins: "wanted to cancel ... accepted the offer".
  const final = outcome.sort((a, b) => b.hit.index - a.hit.index)[0];
  if (final) return { disposition: final.disposition, confidence: 'high', cue: final.hit.text };
  const callback = lastOf(callbacks);
  if (callback) return { disposition: 'callback', confidence: 'medium', cue: callback.text };
  const hesitation = lastOf(hesitations);
  if (hesitation) return { disposition: 'undecided', confidence: 'medium', cue: hesitation.text };
  if (context) return { disposition: 'undecided', confidence: 'low', cue: context.text };
  return { disposition: 'not_retention', confidence: 'low', cue: '' };
}

/** `text` is lower-cased for matching; amounts are quoted from `original` when offsets agree. */
function followUps(text: string, today: string, t: WrapUpTemplates, original: string = text): FollowUp[] {
  const source = original.length === text.length ? original : text;
  const out: FollowUp[] = [];
  const seen = new Set<FollowUpKind>();
  const add = (f: FollowUp): void => {
    if (!seen.has(f.kind)) {
      seen.add(f.kind);
      out.push(f);
    }
  };
  // The amount after the cue ("credit of $20"), else the closest one before it ("$20 credit").
  const amountNear = (index: number): string | null => {
    const after = AMOUNT.exec(source.slice(index, index + 50));
    if (after) return after[0].trim();
    const before = [...source.slice(Math.max(0, index - 30), index).matchAll(new RegExp(AMOUNT.source, 'gi'))].at(-1);
    return before ? before[0].trim() : null;
  };
  const firstPlain = (pick: (lex: WrapUpLexicon) => RegExp): Hit | null =>
    firstOf(WRAP_UP_LEXICONS.flatMap((lex) => hits(text, pick(lex), lex.negationBefore).plain));

  const callback = firstPlain((l) => l.callback);
  if (callback) {
    // "call back Friday", "明天回电", "לחזור אליו ביום שישי": the date sits just before or after the cue.
    const from = Math.max(0, callback.index - DATE_LOOKBEHIND);
    const when = resolveDate(text.slice(from, callback.index + callback.text.length + DATE_SEARCH_WINDOW), callback.index - from, today);
    const label = when ? `${when.weekday !== null ? `${t.weekday[when.weekday]} ` : ''}${when.due}` : null;
    add({ kind: 'callback', text: t.callback(label), due: when?.due ?? null, amount: null });
  }
  const credit = firstPlain((l) => l.credit);
  if (credit) {
    const amount = amountNear(credit.index);
    add({ kind: 'apply_credit', text: t.credit(amount), due: null, amount });
  }
  const refund = firstPlain((l) => l.refund);
  if (refund) {
    const amount = amountNear(refund.index);
    add({ kind: 'refund', text: t.refund(amount), due: null, amount });
  }
  const simple: [FollowUpKind, (l: WrapUpLexicon) => RegExp, string][] = [
    ['send_info', (l) => l.sendInfo, t.sendInfo],
    ['escalate', (l) => l.escalate, t.escalate],
    ['technician', (l) => l.technician, t.technician],
    ['waive_fee', (l) => l.waiveFee, t.waiveFee],
  ];
  for (const [kind, pick, label] of simple) {
    if (firstPlain(pick)) add({ kind, text: label, due: null, amount: null });
  }
  return out;
}

/**
 * The on-device wrap-up: a summary from the notes (or the transcript), a
 * disposition from outcome phrases, and follow-ups from action phrases.
 * Deterministic: the same input always gives the same draft.
 */
export function draftWrapUp(rawInput: WrapUpInput): WrapUpDraft {
  const input = wrapUpInputSchema.parse(rawInput);
  const t = TEMPLATES[input.language];
  const notes = input.notes.toLowerCase();
  const transcript = (input.transcript ?? []).map((turn) => turn.text).join('\n').toLowerCase();
  const today = new Date(Date.parse(input.now)).toISOString().slice(0, 10);
  // The notes are the agent's own account: the transcript decides only when they say nothing.
  let decision = decideDisposition(notes);
  if (decision.confidence === 'low' && transcript.length > 0) {
    const fromTranscript = decideDisposition(transcript);
    if (fromTranscript.confidence !== 'low' || decision.disposition === 'not_retention') decision = fromTranscript;
  }
  const transcriptOriginal = (input.transcript ?? []).map((turn) => turn.text).join('\n');
  const actions = followUps(notes, today, t, input.notes);
  const known = new Set(actions.map((f) => f.kind));
  const fromTranscript = transcript.length > 0 ? followUps(transcript, today, t, transcriptOriginal).filter((f) => !known.has(f.kind)) : [];
  return {
    source: 'on-device',
    summary: buildSummary(input, t),
    ...decision,
    followUps: [...actions, ...fromTranscript],
  };
}

/**
 * Kind, due date and amount of one follow-up line written elsewhere (by the
 * model): the same cue rules as the drafter, "other" when none fits.
 */
export function classifyFollowUp(text: string, now: string): Pick<FollowUp, 'kind' | 'due' | 'amount'> {
  const parsed = Date.parse(now);
  const today = new Date(Number.isNaN(parsed) ? 0 : parsed).toISOString().slice(0, 10);
  const found = followUps(text.toLowerCase(), today, TEMPLATES.en, text)[0];
  return found ? { kind: found.kind, due: found.due, amount: found.amount } : { kind: 'other', due: null, amount: null };
}
