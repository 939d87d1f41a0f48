import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { SCORE, type Candidate, compactAlnum, digitsOf } from '../candidate';
import type { PiiCategory } from '../categories';
import { type FoldedText, type Token, UNSPACED_SCRIPT, foldText, tokenize } from '../folding';
import type { RedactionProfile } from '../profile';
import { toCountryCode } from './phones';

const HEBREW = /\p{Script=Hebrew}/u;
const CYRILLIC = /\p{Script=Cyrillic}/u;
/** One-letter Hebrew prefixes (and, the, in, to, from, that, as) written joined to the next word. */
const HEBREW_PREFIXES = new Set(['ו', 'ה', 'ב', 'ל', 'מ', 'ש', 'כ']);
/** Russian case endings, so Иван matches Ивана, Ивану, Иваном. */
const RUSSIAN_ENDINGS = new Set(
  ['', 'а', 'я', 'у', 'ю', 'е', 'ы', 'и', 'ой', 'ей', 'ом', 'ем', 'ым', 'им', 'ою', 'ею', 'ого', 'его', 'ому', 'ему', 'ых', 'их', 'ов', 'ев'].map(foldText),
);
/** Given names that are also everyday English words: only a capitalised mention counts. */
const COMMON_WORD_NAMES = new Set([
  'will', 'may', 'mark', 'bill', 'sue', 'hope', 'art', 'grant', 'rose', 'joy', 'faith', 'april', 'june', 'august',
  'dawn', 'ray', 'guy', 'page', 'rich', 'chase', 'hunter', 'summer', 'win', 'pat', 'don', 'jack', 'bob', 'gene',
  'amber', 'ruby', 'grace', 'sky', 'lane', 'drew', 'frank', 'earl', 'king', 'major', 'young', 'long', 'white', 'black',
  'brown', 'green', 'smith', 'baker', 'cook', 'miller', 'price', 'cash', 'bond', 'star', 'rock', 'stone',
]);

/** Street-type words and their abbreviations compare equal. */
const ADDRESS_SYNONYMS: Readonly<Record<string, string>> = {
  st: 'street', str: 'street', strasse: 'street', strase: 'street', street: 'street',
  ave: 'avenue', av: 'avenue', avenue: 'avenue', rd: 'road', road: 'road', blvd: 'boulevard', boulevard: 'boulevard',
  ln: 'lane', lane: 'lane', dr: 'drive', drive: 'drive', apt: 'apartment', apartment: 'apartment', ct: 'court', court: 'court',
  pl: 'place', place: 'place', sq: 'square', square: 'square', hwy: 'highway', highway: 'highway',
  ул: 'улица', улица: 'улица', пр: 'проспект', просп: 'проспект', проспект: 'проспект', д: 'дом', дом: 'дом', кв: 'квартира', квартира: 'квартира',
  רח: 'רחוב', רחוב: 'רחוב', שד: 'שדרות', שדרות: 'שדרות',
  c: 'calle', calle: 'calle', avda: 'avenida', avenida: 'avenida',
  bd: 'boulevard', bld: 'boulevard',
};

function canonicalWord(folded: string): string {
  // German transliteration: Müller, Mueller and Muller are one name.
  return folded.replace(/ae/g, 'a').replace(/oe/g, 'o').replace(/ue/g, 'u');
}

function nameTokenMatches(textToken: string, nameToken: string): boolean {
  const t = canonicalWord(textToken);
  const n = canonicalWord(nameToken);
  if (t === n) return true;
  if (HEBREW.test(n)) {
    if (t.length <= n.length || t.length > n.length + 2 || !t.endsWith(n)) return false;
    return [...t.slice(0, t.length - n.length)].every((c) => HEBREW_PREFIXES.has(c));
  }
  if (CYRILLIC.test(n) && n.length >= 3) {
    // Folded: й is и here.
    const stem = /[аяьио]$/.test(n) ? n.slice(0, -1) : n;
    return t.startsWith(stem) && RUSSIAN_ENDINGS.has(t.slice(stem.length));
  }
  return false;
}

/** German street compounds: Hauptstraße, Hauptstrasse and Hauptstr. are one street. */
function addressWord(folded: string): string {
  return ADDRESS_SYNONYMS[folded] ?? canonicalWord(folded.replace(/(?<=\p{L}{3})(?:strasse|strase|str)$/u, 'str'));
}

function addressTokenMatches(textToken: string, phraseToken: string): boolean {
  return addressWord(textToken) === addressWord(phraseToken) || nameTokenMatches(textToken, phraseToken);
}

const isStreetType = (word: string): boolean => ADDRESS_SYNONYMS[word] !== undefined;
const isDistinctive = (word: string): boolean => !isStreetType(word) && !/\d/.test(word) && [...word].length >= 4;

/**
 * Ways a street line is repeated in conversation: in full, without the house
 * number ("on Herzl Street", "улица Ленина"), or without the street type
 * ("Herzl 12", "1600 Elm"). Each variant must keep a distinctive word.
 */
function addressVariants(words: readonly string[]): string[][] {
  const variants: string[][] = [[...words]];
  let run: string[] = [];
  const runs: string[][] = [];
  for (const w of words) {
    if (/\d/.test(w)) {
      if (run.length > 0) runs.push(run);
      run = [];
    } else run.push(w);
  }
  if (run.length > 0) runs.push(run);
  for (const r of runs) {
    const trimmed = [...r];
    while (trimmed.length > 0 && isStreetType(trimmed[trimmed.length - 1] as string)) trimmed.pop();
    if (trimmed.length < words.length && trimmed.some(isDistinctive)) variants.push(trimmed);
    if (r.length > trimmed.length && r.length < words.length && r.some(isDistinctive)) variants.push(r);
  }
  const withoutTypes = words.filter((w) => !isStreetType(w));
  if (withoutTypes.length >= 2 && withoutTypes.length < words.length && withoutTypes.some(isDistinctive) && withoutTypes.some((w) => /\d/.test(w))) {
    variants.push(withoutTypes);
  }
  return variants;
}

/** The part of an unspaced (Chinese) address after the last administrative unit: 建国路88号. */
function unspacedStreetTail(line: string): string | null {
  const compact = line.replace(/\s+/g, '');
  const cut = Math.max(compact.lastIndexOf('省'), compact.lastIndexOf('市'), compact.lastIndexOf('区'), compact.lastIndexOf('县'));
  const tail = cut >= 0 ? compact.slice(cut + 1) : '';
  return [...tail].length >= 3 && tail !== compact ? tail : null;
}

/** Between two words of a phrase: spaces and light punctuation only ("Cohen, Dana", "12 Herzl St."). */
const MAX_GAP = 3;
const GAP = /^[\s,.\-'’"/#№]*$/u;

function findTokenSequences(
  text: string,
  tokens: readonly Token[],
  phrase: readonly string[],
  compare: (textToken: string, phraseToken: string) => boolean,
): { start: number; end: number }[] {
  const hits: { start: number; end: number }[] = [];
  if (phrase.length === 0) return hits;
  // Texts repeat words: remember each comparison.
  const memo = new Map<string, boolean>();
  const equal = (t: string, p: string): boolean => {
    const key = `${t}\u0000${p}`;
    let v = memo.get(key);
    if (v === undefined) {
      v = compare(t, p);
      memo.set(key, v);
    }
    return v;
  };
  for (let i = 0; i + phrase.length <= tokens.length; i++) {
    let ok = true;
    for (let k = 0; k < phrase.length && ok; k++) {
      const token = tokens[i + k] as Token;
      if (!equal(token.text, phrase[k] as string)) ok = false;
      else if (k > 0) {
        const gap = text.slice((tokens[i + k - 1] as Token).end, token.start);
        if (gap.length > MAX_GAP || !GAP.test(gap)) ok = false;
      }
    }
    if (ok) hits.push({ start: (tokens[i] as Token).start, end: (tokens[i + phrase.length - 1] as Token).end });
  }
  return hits;
}

/** Substring search in the folded view, ignoring whitespace, for scripts without word spaces. */
function findUnspaced(view: FoldedText, phrase: string): { start: number; end: number }[] {
  const needle = foldText(phrase).replace(/\s+/g, '');
  const hits: { start: number; end: number }[] = [];
  if (needle.length === 0) return hits;
  let from = 0;
  for (;;) {
    const at = view.folded.indexOf(needle, from);
    if (at < 0) break;
    hits.push({ start: view.sourceStart[at] as number, end: view.sourceEnd[at + needle.length - 1] as number });
    from = at + 1;
  }
  return hits;
}

function wordsOf(value: string): string[] {
  return [...foldText(value).matchAll(/[\p{L}\p{N}]+/gu)].map((m) => m[0]);
}

/** "O'Connor" is also typed "OConnor", "Jean-Luc" also "Jeanluc". */
function joinedForms(names: readonly string[]): string[] {
  return names.filter((n) => /[\p{L}]['’-][\p{L}]/u.test(n)).map((n) => foldText(n).replace(/['’-]/g, ''));
}

function push(out: Candidate[], hits: { start: number; end: number }[], category: PiiCategory, detector: string, key: string): void {
  for (const h of hits) out.push({ ...h, category, score: SCORE.profile, detector, key });
}

/** Pattern source for `compact`'s letters and digits with optional separators between them. */
function tolerantBody(compact: string): string {
  return [...compact].map((c) => c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s./-]?');
}

function separatorTolerant(compact: string): RegExp {
  return new RegExp(`(?<![0-9A-Za-z])${tolerantBody(compact)}(?![0-9A-Za-z])`, 'gi');
}

function regexHits(text: string, pattern: RegExp): { start: number; end: number }[] {
  return [...text.matchAll(pattern)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

function detectNames(text: string, view: FoldedText, tokens: readonly Token[], profile: RedactionProfile, out: Candidate[]): void {
  const given = profile.givenNames.flatMap(wordsOf);
  const family = profile.familyNames.flatMap(wordsOf);
  const unspaced = [...profile.givenNames, ...profile.familyNames].some((n) => UNSPACED_SCRIPT.test(n));
  if (unspaced) {
    for (const g of profile.givenNames) for (const f of profile.familyNames) {
      push(out, findUnspaced(view, f + g), 'NAME', 'profile-name', foldText(f + g));
      push(out, findUnspaced(view, g + f), 'NAME', 'profile-name', foldText(g + f));
    }
    // A lone one-character family name (王, 李) is far too common to redact on its own.
    for (const n of [...profile.givenNames, ...profile.familyNames]) {
      if (UNSPACED_SCRIPT.test(n) && [...n].length >= 2) push(out, findUnspaced(view, n), 'NAME', 'profile-name', foldText(n));
    }
  }
  const sequences: string[][] = [];
  if (given.length > 0 && family.length > 0) sequences.push([...given, ...family], [...family, ...given]);
  for (const word of [...given, ...family]) if ([...word].length >= 2 && !UNSPACED_SCRIPT.test(word)) sequences.push([word]);
  for (const joined of joinedForms([...profile.givenNames, ...profile.familyNames])) sequences.push([joined]);
  for (const seq of sequences) {
    const single = seq.length === 1 ? (seq[0] as string) : null;
    for (const hit of findTokenSequences(text, tokens, seq, nameTokenMatches)) {
      if (single && COMMON_WORD_NAMES.has(single) && !/^\p{Lu}/u.test(text.slice(hit.start))) continue;
      push(out, [hit], 'NAME', 'profile-name', seq.join(' '));
    }
  }
}

function detectAddress(text: string, view: FoldedText, tokens: readonly Token[], profile: RedactionProfile, out: Candidate[]): void {
  for (const line of profile.addressLines) {
    if (UNSPACED_SCRIPT.test(line)) {
      push(out, findUnspaced(view, line), 'ADDRESS', 'profile-address', foldText(line).replace(/\s+/g, ''));
      const tail = unspacedStreetTail(line);
      if (tail) push(out, findUnspaced(view, tail), 'ADDRESS', 'profile-address', foldText(tail));
      continue;
    }
    for (const variant of addressVariants(wordsOf(line))) {
      push(out, findTokenSequences(text, tokens, variant, addressTokenMatches), 'ADDRESS', 'profile-address', variant.join(' '));
    }
  }
  for (const code of profile.postcodes) {
    const compact = compactAlnum(code);
    if (compact.length >= 4) push(out, regexHits(text, separatorTolerant(compact)), 'ADDRESS', 'profile-postcode', compact);
  }
}

function detectAccounts(text: string, profile: RedactionProfile, out: Candidate[]): void {
  for (const account of profile.accountIds) {
    const compact = compactAlnum(account);
    if (compact.length < 4) continue;
    push(out, regexHits(text, separatorTolerant(compact)), 'ACCOUNT', 'profile-account', compact);
    // "ACC-00412345" is often read out as just its number.
    const core = digitsOf(account).replace(/^0+/, '');
    if (core.length >= 6 && core !== compact) {
      push(out, regexHits(text, new RegExp(`(?<![0-9A-Za-z])0*${tolerantBody(core)}(?![0-9A-Za-z])`, 'g')), 'ACCOUNT', 'profile-account', compact);
    }
  }
}

function detectKnownPhones(text: string, profile: RedactionProfile, defaultRegion: string, out: Candidate[]): void {
  for (const phone of profile.phones) {
    const parsed = parsePhoneNumberFromString(phone, toCountryCode(defaultRegion) ?? 'US');
    const national = parsed ? String(parsed.nationalNumber) : digitsOf(phone);
    if (national.length < 6) continue;
    const body = tolerantBody(national);
    const prefix = parsed ? `(?:(?:\\+|00)\\s?${parsed.countryCallingCode}[\\s.-]?)?(?:\\(?0\\)?[\\s.-]?)?` : '';
    const pattern = new RegExp(`(?<![0-9A-Za-z+])${prefix}\\(?${body}(?![0-9A-Za-z])`, 'g');
    const key = parsed ? parsed.number : national;
    push(out, regexHits(text, pattern), 'PHONE', 'profile-phone', key);
  }
}

function detectKnownEmails(text: string, profile: RedactionProfile, out: Candidate[]): void {
  for (const email of profile.emails) {
    const escaped = email.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (escaped.length < 3) continue;
    push(out, regexHits(text, new RegExp(`(?<![\\p{L}\\p{N}._%+-])${escaped}(?![\\p{L}\\p{N}])`, 'giu')), 'EMAIL', 'profile-email', email.trim().toLowerCase());
  }
}

/** Everything the profile tells us about this customer, wherever it appears in the text. */
export function detectProfileValues(text: string, view: FoldedText, profile: RedactionProfile, defaultRegion: string): Candidate[] {
  const out: Candidate[] = [];
  const tokens = tokenize(view);
  detectNames(text, view, tokens, profile, out);
  detectAddress(text, view, tokens, profile, out);
  detectAccounts(text, profile, out);
  detectKnownPhones(text, profile, defaultRegion, out);
  detectKnownEmails(text, profile, out);
  return out;
}
