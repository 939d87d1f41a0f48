import { SCORE, type Candidate, type Range, overlapsAny } from '../candidate';
import { foldText } from '../folding';

/** Words that announce an account or customer number, folded, in the product languages. */
const ACCOUNT_KEYWORDS = [
  'account', 'acct', 'a/c', 'customer number', 'customer no', 'customer id', 'membership number', 'policy number',
  'חשבון', 'מספר לקוח', 'מס לקוח',
  'счет', 'лицевой', 'номер договора', 'договор',
  '账户', '账号', '帐号', '帐户', '客户号', '客户编号',
  'konto', 'kundennummer', 'compte', 'numero client', 'cuenta', 'numero de cliente', 'حساب',
];

/** After the keyword: a little filler ("number", "no.", ":", "#") then the code. */
const LOOKAHEAD = 28;
const FILLER = /^[\s:#.№'’s-]*(?:(?:number|numbers|no|num|nr|id|is|was|ending in|ending|мой|номер|מספר|שלי|是|号|號|码|碼|nummer|numero|numéro|número|n°)[\s:#.№-]*){0,3}$/iu;
const CODE = /[A-Za-z0-9][A-Za-z0-9-]{3,}[0-9A-Za-z]/g;

/**
 * Numbers announced as account numbers ("account no. 88-41230") that are not
 * the profile's own: a customer may quote another account (a spouse's, an old one).
 */
export function detectAnnouncedAccounts(text: string, exclude: readonly Range[]): Candidate[] {
  const found: Candidate[] = [];
  const lower = foldText(text);
  // Folding can change length (ß -> ss); the keyword search runs on the folded
  // text only when lengths agree, else on a lower-cased copy.
  const haystack = lower.length === text.length ? lower : text.toLowerCase();
  for (const keyword of ACCOUNT_KEYWORDS) {
    let from = 0;
    for (;;) {
      const at = haystack.indexOf(keyword, from);
      if (at < 0) break;
      from = at + keyword.length;
      const windowStart = at + keyword.length;
      const window = text.slice(windowStart, windowStart + LOOKAHEAD);
      CODE.lastIndex = 0;
      for (const m of window.matchAll(CODE)) {
        const digits = m[0].replace(/\D/g, '').length;
        if (digits < 4) continue;
        const start = windowStart + m.index;
        const end = start + m[0].length;
        // Stop at the first code: it has to be the one announced.
        if (!FILLER.test(window.slice(0, m.index))) break;
        if (!overlapsAny(start, end, exclude)) {
          found.push({ start, end, category: 'ACCOUNT', score: SCORE.account, detector: 'account-keyword', key: m[0].replace(/[^0-9A-Za-z]/g, '').toUpperCase() });
        }
        break;
      }
    }
  }
  return found;
}
