import type { TFunction } from 'i18next';
import { money } from '../../format';

/** What a reason may draw on besides its own text: the task's or row's figures. */
export interface ReasonContext {
  valueAtRisk: number;
  churnRisk: number | null;
  localTime: string;
  timezone: string;
}

/**
 * The server sends each reason as a code and an English sentence. Known codes
 * are said in the UI language, with the figures taken from the task itself
 * (or, for counts only the sentence carries, read from it); an unknown code,
 * or one whose figures cannot be read, keeps the server's sentence.
 */
export function reasonText(reason: { code: string; text: string }, context: ReasonContext, t: TFunction, language: string): string {
  const numbers = (reason.text.match(/\d+/g) ?? []).map(Number);
  const key = `outreach.reason.${reason.code}`;
  switch (reason.code) {
    case 'value_at_risk':
      return t(key, { value: money(context.valueAtRisk, language) });
    case 'churn_risk':
      return context.churnRisk === null ? reason.text : t(key, { pct: Math.round(context.churnRisk * 100) });
    case 'first_attempt':
    case 'never_contacted':
      return t(key);
    case 'in_calling_hours':
      return t(key, { time: context.localTime, tz: context.timezone });
    case 'retry':
      return numbers.length >= 2 ? t(key, { n: numbers[0], max: numbers[1] }) : reason.text;
    case 'window_closing':
    case 'cool_off_over':
      return numbers.length >= 1 ? t(key, { count: numbers[0] }) : reason.text;
    default:
      // churn_reason is the model's own phrase; anything new is shown as the server wrote it.
      return reason.text;
  }
}
