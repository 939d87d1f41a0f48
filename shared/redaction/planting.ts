import { isValidPhoneNumber, parsePhoneNumber } from 'libphonenumber-js';
import type { Random } from '@shared/util/random';
import type { PiiCategory } from './categories';
import type { RedactionProfile } from './profile';
import { digits, makeCard, makeChineseId, makeDni, makeIban, makeNino, makeSsn, makeTeudatZehut, upper } from './synthetic-ids';

/**
 * Known personal data planted into real, unlabelled text so recall can be
 * measured on it. Check digits are computed here by generation (not with
 * shared/redaction/checksums), so a validator bug cannot hide itself.
 */
export interface PlantedValue {
  readonly category: PiiCategory;
  /** What was asked for: phones are planted as PHONE_INTL and PHONE_LOCAL. */
  readonly kind: PlantKind;
  /** e.g. "visa/spaced", "IBAN DE/compact", "id ES/dni", "phone GB/intl". */
  readonly format: string;
  readonly value: string;
}

export interface PlantedLabel extends PlantedValue {
  readonly start: number;
  readonly end: number;
}

export interface PlantProfile {
  readonly givenName: string;
  readonly familyName: string;
  readonly accountId: string;
  readonly addressLine: string;
}

const fours = (s: string, sep = ' '): string => s.match(/.{1,4}/g)?.join(sep) ?? s;

const CARD_KINDS: readonly { brand: string; prefix: (r: Random) => string; length: number; groups: number[] }[] = [
  { brand: 'visa', prefix: () => '4', length: 16, groups: [4, 4, 4, 4] },
  { brand: 'mastercard', prefix: (r) => `5${r.int(1, 5)}`, length: 16, groups: [4, 4, 4, 4] },
  { brand: 'amex', prefix: (r) => r.pick(['34', '37']), length: 15, groups: [4, 6, 5] },
  { brand: 'discover', prefix: () => '6011', length: 16, groups: [4, 4, 4, 4] },
];

function card(r: Random): Unkinded {
  const kind = r.pick(CARD_KINDS);
  const prefix = kind.prefix(r);
  const number = makeCard(r, prefix, kind.length);
  const layout = r.pick(['spaced', 'dashed', 'compact'] as const);
  const grouped: string[] = [];
  let at = 0;
  for (const g of kind.groups) {
    grouped.push(number.slice(at, at + g));
    at += g;
  }
  const value = layout === 'compact' ? number : grouped.join(layout === 'spaced' ? ' ' : '-');
  return { category: 'CARD', format: `${kind.brand}/${layout}`, value };
}

/** BBAN shapes: d = digit, A = letter. */
const IBAN_BBANS: Readonly<Record<string, string>> = {
  DE: 'dddddddddddddddddd',
  GB: 'AAAAdddddddddddddd',
  FR: 'ddddddddddddddddddddddd',
  ES: 'dddddddddddddddddddd',
  NL: 'AAAAdddddddddd',
  IT: 'Adddddddddddddddddddddd',
  IL: 'ddddddddddddddddddd',
};

function iban(r: Random): Unkinded {
  const country = r.pick(Object.keys(IBAN_BBANS));
  const bban = [...(IBAN_BBANS[country] as string)].map((c) => (c === 'd' ? digits(r, 1) : upper(r, 1))).join('');
  const compact = makeIban(country, bban);
  const spaced = r.chance(0.6);
  return { category: 'IBAN', format: `IBAN ${country}/${spaced ? 'spaced' : 'compact'}`, value: spaced ? fours(compact) : compact };
}

/** A UK National Insurance number as people write it: "AB 12 34 56 C". */
function nino(r: Random): string {
  const v = makeNino(r);
  return `${v.slice(0, 2)} ${v.slice(2, 4)} ${v.slice(4, 6)} ${v.slice(6, 8)} ${v.slice(8)}`;
}

/** Each with the words a customer would put in front of it. */
const NATIONAL_IDS: readonly { format: string; make: (r: Random) => string; carriers: readonly string[] }[] = [
  {
    format: 'id US/ssn',
    make: makeSsn,
    carriers: ['my SSN is {v}', 'social security number {v}', 'they asked for my SSN ({v}) twice'],
  },
  { format: 'id GB/nino', make: nino, carriers: ['my NI number is {v}', 'national insurance {v}'] },
  { format: 'id IL/teudat-zehut', make: makeTeudatZehut, carriers: ['my ID number is {v}', 'teudat zehut {v}'] },
  {
    format: 'id ES/dni',
    make: makeDni,
    carriers: ['DNI {v}', 'my DNI is {v}'],
  },
  { format: 'id CN/resident', make: makeChineseId, carriers: ['my ID card number is {v}', 'resident ID {v}'] },
];

/** National significant numbers by region; each draw is checked with the phone metadata. */
const PHONE_REGIONS: Readonly<Record<string, { code: string; make: (r: Random) => string }>> = {
  US: { code: '1', make: (r) => `${r.pick(['212', '415', '617', '312', '206', '503'])}${r.int(2, 9)}${digits(r, 2)}${digits(r, 4)}` },
  GB: { code: '44', make: (r) => `7${r.pick(['400', '500', '700', '800', '900'])}${digits(r, 6)}` },
  IL: { code: '972', make: (r) => `5${r.pick(['0', '2', '3', '4', '8'])}${digits(r, 7)}` },
  DE: { code: '49', make: (r) => `15${r.pick(['1', '2', '7', '9'])}${digits(r, 8)}` },
  FR: { code: '33', make: (r) => `6${digits(r, 8)}` },
};

export const LOCAL_PHONE_REGIONS: readonly string[] = Object.keys(PHONE_REGIONS);

function phoneNumber(r: Random, region: string): string {
  const spec = PHONE_REGIONS[region];
  if (!spec) throw new Error(`no phone generator for region ${region}; known: ${LOCAL_PHONE_REGIONS.join(', ')}`);
  for (;;) {
    const e164 = `+${spec.code}${spec.make(r)}`;
    if (isValidPhoneNumber(e164)) return e164;
  }
}

function internationalPhone(r: Random): Unkinded {
  const region = r.pick(LOCAL_PHONE_REGIONS);
  const parsed = parsePhoneNumber(phoneNumber(r, region));
  const style = r.pick(['spaced', 'e164'] as const);
  return { category: 'PHONE', format: `phone ${region}/intl-${style}`, value: style === 'e164' ? parsed.number : parsed.formatInternational() };
}

function localPhone(r: Random, region: string): Unkinded {
  const national = parsePhoneNumber(phoneNumber(r, region)).formatNational();
  const nsn = national.replace(/\D/g, '');
  // The formats people type besides the book one: dots or dashes, or no separators.
  const style = r.pick(['national', 'dashed', 'compact'] as const);
  const value = style === 'national' ? national : style === 'compact' ? nsn : national.replace(/[()]/g, '').trim().replace(/\s+/g, '-');
  return { category: 'PHONE', format: `phone ${region}/local-${style}`, value };
}

const EMAIL_USERS = ['jordan.miles', 'k.okafor', 'priya_n', 'tomwhitfield84', 'a.lindqvist', 'maria.c.gomez', 'dev.null.77'];
const EMAIL_DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.co.uk', 'example.org', 'mail.ru', 'web.de', 'icloud.com'];

function email(r: Random): Unkinded {
  const value = `${r.pick(EMAIL_USERS)}${r.chance(0.5) ? r.int(1, 99) : ''}@${r.pick(EMAIL_DOMAINS)}`;
  return { category: 'EMAIL', format: 'email/plain', value };
}

const GIVEN = ['Emily', 'Marcus', 'Priya', 'Tomasz', 'Aisha', 'Joaquin', 'Ingrid', 'Kwame'];
const FAMILY = ['Whitaker', 'Okonkwo', 'Lindqvist', 'Moreau', 'Castellano', 'Haddad', 'Brennan', 'Nakamura'];
const STREETS = ['Maple', 'Juniper', 'Harrow', 'Beacon', 'Willowbrook', 'Castle'];
const STREET_TYPES = ['Street', 'Avenue', 'Road', 'Lane'];

export function makePlantProfile(r: Random): PlantProfile {
  return {
    givenName: r.pick(GIVEN),
    familyName: r.pick(FAMILY),
    accountId: `${upper(r, 2)}-${digits(r, 4)}-${digits(r, 4)}`,
    addressLine: `${r.int(3, 980)} ${r.pick(STREETS)} ${r.pick(STREET_TYPES)}`,
  };
}

export function redactionProfileOf(p: PlantProfile): RedactionProfile {
  return { givenNames: [p.givenName], familyNames: [p.familyName], accountIds: [p.accountId], phones: [], emails: [], addressLines: [p.addressLine], postcodes: [] };
}

/** What is planted, in turn; one kind per category, phones twice (international and local). */
export const PLANT_KINDS = ['CARD', 'IBAN', 'NATIONAL_ID', 'EMAIL', 'PHONE_INTL', 'PHONE_LOCAL', 'NAME', 'ACCOUNT', 'ADDRESS'] as const;
export type PlantKind = (typeof PLANT_KINDS)[number];

const CARRIERS: Readonly<Record<Exclude<PlantKind, 'NATIONAL_ID'>, readonly string[]>> = {
  CARD: ['I paid with card {v}', 'my card number is {v}', 'you charged {v} twice', 'the card {v} keeps getting declined'],
  IBAN: ['please refund to IBAN {v}', 'my bank account is {v}', 'send the refund to {v}'],
  EMAIL: ['email me at {v}', 'my email is {v}', 'I wrote to you from {v}'],
  PHONE_INTL: ['call me on {v}', 'my number is {v}', 'you can reach me at {v}'],
  PHONE_LOCAL: ['call me on {v}', 'my number is {v}', 'text me at {v} please'],
  NAME: ['this is {v}', 'the account is under {v}', '{v} here'],
  ACCOUNT: ['my account number is {v}', 'account {v}', 'acct no {v}'],
  ADDRESS: ['I live at {v}', 'please ship it to {v}', 'the engineer never came to {v}'],
};

/** A value of `kind` and the phrase around it ("{v}" marks the value). */
export function makePlant(r: Random, kind: PlantKind, profile: PlantProfile, localRegion: string): { value: PlantedValue; carrier: string } {
  const made = makeValue(r, kind, profile, localRegion);
  return { value: { ...made.value, kind }, carrier: made.carrier };
}

type Unkinded = Omit<PlantedValue, 'kind'>;

function makeValue(r: Random, kind: PlantKind, profile: PlantProfile, localRegion: string): { value: Unkinded; carrier: string } {
  if (kind === 'NATIONAL_ID') {
    const id = r.pick(NATIONAL_IDS);
    return { value: { category: 'NATIONAL_ID', format: id.format, value: id.make(r) }, carrier: r.pick(id.carriers) };
  }
  const carrier = r.pick(CARRIERS[kind]);
  switch (kind) {
    case 'CARD':
      return { value: card(r), carrier };
    case 'IBAN':
      return { value: iban(r), carrier };
    case 'EMAIL':
      return { value: email(r), carrier };
    case 'PHONE_INTL':
      return { value: internationalPhone(r), carrier };
    case 'PHONE_LOCAL':
      return { value: localPhone(r, localRegion), carrier };
    case 'NAME':
      return { value: { category: 'NAME', format: 'profile/full-name', value: `${profile.givenName} ${profile.familyName}` }, carrier };
    case 'ACCOUNT':
      return { value: { category: 'ACCOUNT', format: 'profile/account', value: profile.accountId }, carrier };
    case 'ADDRESS':
      return { value: { category: 'ADDRESS', format: 'profile/street', value: profile.addressLine }, carrier };
  }
}

/** Places where a sentence may go: the start, after ". ", "! " or "? ", the end; plus word gaps for a clause. */
function insertionPoints(text: string, avoid: readonly { start: number; end: number }[]): { at: number; kind: 'sentence' | 'clause' }[] {
  const inside = (at: number) => avoid.some((l) => at > l.start && at < l.end);
  const points: { at: number; kind: 'sentence' | 'clause' }[] = [{ at: 0, kind: 'sentence' }, { at: text.length, kind: 'sentence' }];
  for (const m of text.matchAll(/[.!?](\s+)/g)) points.push({ at: m.index + 1, kind: 'sentence' });
  for (const m of text.matchAll(/(?<=[\p{L}\p{N}])\s+(?=[\p{L}])/gu)) points.push({ at: m.index, kind: 'clause' });
  return points.filter((p) => !inside(p.at));
}

/**
 * Inserts "carrier" with the value into `text` at a random sentence boundary
 * (or, one time in four, as a clause between two words) and returns the new
 * text with the labels shifted.
 */
export function plantInto(
  r: Random,
  text: string,
  labels: readonly PlantedLabel[],
  plant: { value: PlantedValue; carrier: string },
): { text: string; labels: PlantedLabel[] } {
  const points = insertionPoints(text, labels);
  const clauses = points.filter((p) => p.kind === 'clause');
  const point = clauses.length > 0 && r.chance(0.25) ? r.pick(clauses) : r.pick(points.filter((p) => p.kind === 'sentence'));
  const [before, after] = plant.carrier.split('{v}') as [string, string];
  let prefix: string;
  let suffix: string;
  if (point.kind === 'clause') {
    prefix = ` (${before}`;
    suffix = `${after})`;
  } else {
    const cap = before.length > 0 ? before[0]?.toUpperCase() + before.slice(1) : '';
    prefix = `${point.at > 0 ? ' ' : ''}${cap}`;
    suffix = `${after}.${point.at === 0 ? ' ' : ''}`;
  }
  const insertion = prefix + plant.value.value + suffix;
  const start = point.at + prefix.length;
  const shifted = labels.map((l) => (l.start >= point.at ? { ...l, start: l.start + insertion.length, end: l.end + insertion.length } : l));
  const label: PlantedLabel = { ...plant.value, start, end: start + plant.value.value.length };
  return { text: text.slice(0, point.at) + insertion + text.slice(point.at), labels: [...shifted, label].sort((a, b) => a.start - b.start) };
}
