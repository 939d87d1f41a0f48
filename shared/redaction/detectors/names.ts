import { SCORE, type Candidate, type Range, overlapsAny } from '../candidate';
import { foldText } from '../folding';

/**
 * Names the customer announces ("my name is", "account name:", "меня зовут",
 * "שמי", "我叫"), for people not in the profile: a spouse, the account holder.
 * No general name recogniser: outside these phrases only profile names are found.
 */
const NAME_INTRODUCERS = [
  'my name is', 'name is', 'account name', 'account holder', 'name:', 'signed',
  'меня зовут', 'мое имя', 'моё имя', 'фио',
  'שמי', 'קוראים לי', 'השם שלי',
  '我叫', '我的名字是', '姓名',
  "je m'appelle", 'je suis', 'me llamo', 'mi nombre es', 'mein name ist', 'ich heisse', 'ich bin', 'اسمي',
].map(foldText);

const CAPITALISED_WORDS = /^[\s:,-]*((?:\p{Lu}[\p{Ll}'’-]+)(?:[ \t]+\p{Lu}[\p{Ll}'’-]+){0,2})/u;
const HEBREW_WORDS = /^[\s:,-]*((?:\p{Script=Hebrew}+)(?:[ \t]+\p{Script=Hebrew}+)?)/u;
const HAN_NAME = /^[\s:：,，]*(\p{Script=Han}{2,4})/u;
const ARABIC_WORDS = /^[\s:,-]*((?:\p{Script=Arabic}+)(?:[ \t]+\p{Script=Arabic}+)?)/u;

/** Capitalised words that follow "this is" / "I am" without being names. */
const NOT_NAMES = new Set(['the', 'a', 'an', 'not', 'very', 'so', 'really', 'just', 'still', 'again', 'ridiculous', 'unacceptable', 'frustrating', 'my', 'your', 'our', 'it', 'what', 'why', 'how', 'hp', 'support', 'customer']);

/**
 * A name right after a greeting and before punctuation: "Hi Mary,", "Hello, Thomas!",
 * "Dear Ms Carter.", "Здравствуйте, Анна!", "שלום דנה,". Agents greet customers by name.
 */
const GREETING = /(?<![\p{L}])(?:hi|hello|hey|dear|thanks|thank you|good (?:morning|afternoon|evening)|здравствуйте|добрый день|привет|שלום|היי|הי)[\s,]+(?:(?:mr|mrs|ms|miss|dr)\.?\s+)?((?:\p{Lu}\p{Ll}+|\p{Script=Hebrew}{2,})(?:\s+\p{Lu}\p{Ll}+)?)(?=\s*[,!.:;)]|\s*$)/giu;
const NOT_GREETED = new Set(['there', 'team', 'all', 'everyone', 'guys', 'folks', 'again', 'sir', 'madam', 'friend', 'friends', 'support', 'customer', 'so', 'very', 'much', 'you']);

function detectGreetedNames(text: string, exclude: readonly Range[], found: Candidate[]): void {
  for (const m of text.matchAll(GREETING)) {
    const name = m[1] as string;
    const words = name.split(/\s+/).map(foldText);
    if (NOT_GREETED.has(words[0] as string) || NOT_GREETED.has(words[words.length - 1] as string) || /^(?:care|help|service)$/.test(words[words.length - 1] as string)) continue;
    // The lazy case-insensitive flag lets "there" in; a Latin name must really be capitalised.
    // Checked without the i flag: "Hi HP," or "hi there" are not names.
    if (/^[\p{Script=Latin}\p{Script=Cyrillic}]/u.test(name) && !/^\p{Lu}\p{Ll}/u.test(name)) continue;
    const start = (m.index as number) + m[0].length - name.length;
    const end = start + name.length;
    if (overlapsAny(start, end, exclude)) continue;
    found.push({ start, end, category: 'NAME', score: SCORE.account, detector: 'name-greeted', key: foldText(name) });
  }
}

export function detectAnnouncedNames(text: string, exclude: readonly Range[]): Candidate[] {
  const found: Candidate[] = [];
  detectGreetedNames(text, exclude, found);
  const folded = foldText(text);
  if (folded.length !== text.length) return found;
  for (const intro of NAME_INTRODUCERS) {
    let from = 0;
    for (;;) {
      const at = folded.indexOf(intro, from);
      if (at < 0) break;
      from = at + intro.length;
      if (/\p{L}/u.test(folded[at - 1] ?? '') && !/\p{Script=Han}/u.test(intro)) continue;
      const after = text.slice(from, from + 60);
      const m = CAPITALISED_WORDS.exec(after) ?? HEBREW_WORDS.exec(after) ?? HAN_NAME.exec(after) ?? ARABIC_WORDS.exec(after);
      if (!m) continue;
      const name = m[1] as string;
      if (NOT_NAMES.has(foldText(name.split(/\s+/)[0] as string))) continue;
      const start = from + m[0].length - name.length;
      const end = start + name.length;
      if (overlapsAny(start, end, exclude)) continue;
      found.push({ start, end, category: 'NAME', score: SCORE.account, detector: 'name-introduced', key: foldText(name) });
    }
  }
  return found;
}
