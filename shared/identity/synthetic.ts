import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CustomerProfile } from '@shared/domain/customer';
import { createRandom } from '@shared/util/random';
import type { Random } from '@shared/util/random';
import type { CanonicalRecord } from './canonical';
import { ocrError, phoneticError, transpose, typo } from './corruption';
import { CITIES, EMAIL_DOMAINS, FAMILY_NAMES, GIVEN_NAMES_FEMALE, GIVEN_NAMES_MALE, STREET_NAMES, STREET_TYPES, SYLLABLES } from './synthetic-names';

export const SYNTHETIC_SOURCES = ['crm', 'billing', 'support', 'usage'] as const;
export type SyntheticSource = (typeof SYNTHETIC_SOURCES)[number];

export interface SyntheticAddress {
  streetNumber: string;
  line1: string;
  line2: string | null;
  city: string;
  postcode: string;
  region: string;
  country: string;
}

/** One true person: what every one of their source records is a noisy copy of. */
export interface SyntheticPerson {
  entityId: string;
  givenName: string;
  familyName: string;
  /** ISO date. */
  dateOfBirth: string | null;
  /** E.164. */
  phone: string | null;
  /** An older number some older records still carry. */
  previousPhone?: string | null;
  /** A household landline shared with family members. */
  householdPhone?: string | null;
  email: string | null;
  secondEmail?: string | null;
  nationalId: string | null;
  accountId: string;
  address: SyntheticAddress;
  /** Where they lived before moving; older records still carry it. */
  previousAddress?: SyntheticAddress | null;
}

/** A generated source record with its truth: the entity it came from. */
export type LabelledRecord = CanonicalRecord & { entity_id: string };

export interface SourceRecordOptions {
  sources: readonly SyntheticSource[];
  /** 0 = clean copies, 1 = the default amount of noise, 2 = twice as much. */
  noise: number;
}

export const DEFAULT_SOURCE_OPTIONS: SourceRecordOptions = { sources: SYNTHETIC_SOURCES, noise: 1 };

const NICKNAMES: Record<string, readonly string[]> = {
  robert: ['Bob', 'Rob', 'Bobby'], william: ['Bill', 'Will', 'Billy'], richard: ['Rick', 'Dick', 'Rich'],
  james: ['Jim', 'Jimmy', 'Jamie'], john: ['Jack', 'Johnny'], joseph: ['Joe', 'Joey'], michael: ['Mike', 'Mikey'],
  christopher: ['Chris'], thomas: ['Tom', 'Tommy'], charles: ['Charlie', 'Chuck'], edward: ['Ed', 'Eddie', 'Ted'],
  elizabeth: ['Liz', 'Beth', 'Betty', 'Lizzie'], margaret: ['Maggie', 'Peggy', 'Meg'], katherine: ['Kate', 'Katie', 'Kathy'],
  patricia: ['Pat', 'Patty', 'Trish'], alexander: ['Alex', 'Sasha'], samuel: ['Sam'], samantha: ['Sam', 'Sammy'],
  daniel: ['Dan', 'Danny'], david: ['Dave'], anthony: ['Tony'], andrew: ['Andy', 'Drew'], benjamin: ['Ben'],
  nicholas: ['Nick'], matthew: ['Matt'], steven: ['Steve'], stephen: ['Steve'], gregory: ['Greg'], timothy: ['Tim'],
  jennifer: ['Jen', 'Jenny'], jessica: ['Jess'], rebecca: ['Becky'], victoria: ['Vicky', 'Tori'], deborah: ['Debbie', 'Deb'],
  susan: ['Sue', 'Susie'], kenneth: ['Ken', 'Kenny'], joshua: ['Josh'], ronald: ['Ron'], lawrence: ['Larry'],
  donald: ['Don'], raymond: ['Ray'], jacob: ['Jake'], zachary: ['Zach'], pamela: ['Pam'], kimberly: ['Kim'],
  christine: ['Chris', 'Tina'], dorothy: ['Dot', 'Dolly'], abigail: ['Abby'], natalia: ['Natasha'], dmitry: ['Dima'],
  mikhail: ['Misha'], avraham: ['Avi'], yosef: ['Yossi'], isabella: ['Bella', 'Izzy'], frank: ['Frankie'], peter: ['Pete'],
};

function title(word: string): string {
  return word.replace(/(^|[\s-])(\p{L})/gu, (_m, before: string, letter: string) => before + letter.toUpperCase());
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function inventedSurname(random: Random): string {
  const parts = random.int(2, 3);
  let name = '';
  for (let i = 0; i < parts; i++) name += random.pick(SYLLABLES);
  return name;
}

/** Surnames: a Zipf-like head of common names and a long tail of invented ones, like real populations. */
function pickFamilyName(random: Random): string {
  if (random.chance(0.45)) return inventedSurname(random);
  const rank = Math.min(FAMILY_NAMES.length - 1, Math.floor(Math.exp(random.next() * Math.log(FAMILY_NAMES.length + 1))) - 1);
  return FAMILY_NAMES[Math.max(0, rank)] as string;
}

function pickGivenName(random: Random): string {
  const names = random.chance(0.5) ? GIVEN_NAMES_FEMALE : GIVEN_NAMES_MALE;
  const rank = Math.min(names.length - 1, Math.floor(Math.exp(random.next() * Math.log(names.length + 1))) - 1);
  return names[Math.max(0, rank)] as string;
}

function phoneIn(random: Random, areaCode: string): string {
  let exchange: number;
  do exchange = random.int(201, 989);
  while (exchange % 100 === 11 || exchange === 555);
  return `+1${areaCode}${exchange}${pad(random.int(0, 9999), 4)}`;
}

function makeAddress(random: Random): { address: SyntheticAddress; areaCodes: readonly string[] } {
  const place = random.pick(CITIES);
  const street = `${title(random.pick(STREET_NAMES))} ${title(random.pick(STREET_TYPES))}`;
  return {
    address: {
      streetNumber: String(random.int(1, 2999)),
      line1: street,
      line2: random.chance(0.25) ? `Apt ${random.int(1, 40)}` : null,
      city: place.city,
      postcode: `${place.postcodePrefix}${pad(random.int(0, 99), 2)}`,
      region: place.region,
      country: 'US',
    },
    areaCodes: place.areaCodes,
  };
}

function birthDate(random: Random, minAge: number, maxAge: number): string {
  const year = 2025 - random.int(minAge, maxAge);
  const month = random.int(1, 12);
  const day = random.int(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
  return `${year}-${pad(month, 2)}-${pad(day, 2)}`;
}

function emailFor(random: Random, given: string, family: string): string {
  const g = given.toLowerCase().replace(/[^a-z]/g, '');
  const f = family.toLowerCase().replace(/[^a-z]/g, '');
  const local = random.pick([`${g}.${f}`, `${g}${f}`, `${g[0] ?? 'x'}${f}`, `${g}_${f}`, `${f}.${g}`]);
  return `${local}${random.chance(0.6) ? random.int(1, 999) : ''}@${random.pick(EMAIL_DOMAINS)}`;
}

/**
 * Generates people, a third of them in households that share a family name,
 * an address and a landline: the hard case for precision.
 */
export function generatePeople(count: number, random: Random, idPrefix = 'P'): SyntheticPerson[] {
  const people: SyntheticPerson[] = [];
  while (people.length < count) {
    const household = random.chance(0.3) ? Math.min(random.int(2, 4), count - people.length) : 1;
    const familyName = title(pickFamilyName(random));
    const { address, areaCodes } = makeAddress(random);
    const landline = household > 1 && random.chance(0.7) ? phoneIn(random, random.pick(areaCodes)) : null;
    for (let member = 0; member < household; member++) {
      const givenName = title(pickGivenName(random));
      const personFamily = member > 0 && random.chance(0.15) ? title(pickFamilyName(random)) : familyName;
      const moved = random.chance(0.15) ? makeAddress(random).address : null;
      const phone = phoneIn(random, random.pick(areaCodes));
      const number = people.length + 1;
      people.push({
        entityId: `${idPrefix}${pad(number, 7)}`,
        givenName,
        familyName: personFamily,
        dateOfBirth: random.chance(0.97) ? birthDate(random, member > 1 ? 5 : 18, member > 1 ? 30 : 85) : null,
        phone,
        previousPhone: random.chance(0.1) ? phoneIn(random, random.pick(areaCodes)) : null,
        householdPhone: landline,
        email: random.chance(0.92) ? emailFor(random, givenName, personFamily) : null,
        secondEmail: random.chance(0.15) ? emailFor(random, givenName, personFamily) : null,
        nationalId: random.chance(0.85) ? `${pad(random.int(1, 899), 3)}${pad(random.int(1, 99), 2)}${pad(random.int(1, 9999), 4)}` : null,
        accountId: `A${pad(random.int(0, 99_999_999), 8)}`,
        address: moved ?? address,
        previousAddress: moved === null ? null : address,
      });
    }
  }
  return people;
}

/** The many ways one number gets written down. */
export function formatPhone(random: Random, e164: string): string {
  if (!e164.startsWith('+1')) {
    const parsed = parsePhoneNumberFromString(e164);
    if (parsed === undefined) return e164;
    return random.pick([parsed.number, parsed.formatInternational(), parsed.formatNational(), `00${parsed.number.slice(1)}`]);
  }
  const digits = e164.replace(/^\+1/, '');
  const area = digits.slice(0, 3);
  const exchange = digits.slice(3, 6);
  const line = digits.slice(6);
  return random.pick([
    `(${area}) ${exchange}-${line}`,
    `${area}-${exchange}-${line}`,
    `${area}.${exchange}.${line}`,
    `${area}${exchange}${line}`,
    `+1 ${area} ${exchange} ${line}`,
    `+1-${area}-${exchange}-${line}`,
    `1 (${area}) ${exchange}-${line}`,
    `001 ${area} ${exchange} ${line}`,
  ]);
}

const RECORD_PREFIX: Record<SyntheticSource, string> = { crm: 'CRM', billing: 'BIL', support: 'SUP', usage: 'USG' };

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Writes an ISO date the way a source system does; `swapDayMonth` is the classic D/M mix-up. */
function formatDate(random: Random, iso: string, source: SyntheticSource, swapDayMonth: boolean): string {
  const year = iso.slice(0, 4);
  const month = iso.slice(5, 7);
  const day = iso.slice(8, 10);
  if (swapDayMonth) return `${day}/${month}/${year}`;
  switch (source) {
    case 'crm':
      return iso;
    case 'billing':
      return `${month}/${day}/${year}`;
    case 'support':
      return random.chance(0.5) ? `${Number(day)} ${MONTH_NAMES[Number(month) - 1]} ${year}` : `${month}/${day}/${year}`;
    default:
      return `${year}${month}${day}`;
  }
}

function corruptDate(random: Random, iso: string): string {
  const digits = iso.replace(/-/g, '');
  const wrong = random.chance(0.5) ? transpose(random, digits.slice(4)) : digits.slice(4, 7) + String(random.int(0, 9));
  const candidate = digits.slice(0, 4) + wrong;
  const month = Number(candidate.slice(4, 6));
  const day = Number(candidate.slice(6, 8));
  if (month < 1 || month > 12 || day < 1 || day > 28) return iso;
  return `${candidate.slice(0, 4)}-${candidate.slice(4, 6)}-${candidate.slice(6, 8)}`;
}

function updatedAt(random: Random, fromYear: number, toYear: number): string {
  const year = random.int(fromYear, toYear);
  return `${year}-${pad(random.int(1, 12), 2)}-${pad(random.int(1, 28), 2)}T${pad(random.int(0, 23), 2)}:${pad(random.int(0, 59), 2)}:00Z`;
}

function nameVariant(random: Random, name: string, noise: number, nicknameChance: number): string {
  const nicknames = NICKNAMES[name.toLowerCase()];
  if (nicknames !== undefined && random.chance(nicknameChance)) return random.pick(nicknames);
  return noisyName(random, name, noise);
}

function noisyName(random: Random, name: string, noise: number): string {
  let value = name;
  if (random.chance(0.06 * noise)) value = typo(random, value);
  if (random.chance(0.015 * noise)) value = phoneticError(random.fork('ph'), value.toLowerCase());
  if (random.chance(0.005 * noise)) value = ocrError(random, value);
  if (random.chance(0.1)) value = value.toUpperCase();
  else if (random.chance(0.05)) value = value.toLowerCase();
  return value;
}

/**
 * The source records one person leaves behind: CRM and billing (mostly
 * complete), zero to two support tickets (nicknames, typos, family phones, a
 * mistyped second ticket), a usage account. Each has realistic noise: typos,
 * nicknames, swapped name order, day/month swaps, transposed digits, missing
 * fields, old addresses and phones, different phone formats.
 */
export function sourceRecordsForPerson(
  person: SyntheticPerson,
  random: Random,
  options: SourceRecordOptions = DEFAULT_SOURCE_OPTIONS,
): LabelledRecord[] {
  const noise = options.noise;
  const records: LabelledRecord[] = [];
  const sourceSet = new Set(options.sources);
  const serial = person.entityId.replace(/\D/g, '') || person.entityId;
  const missing = (p: number): boolean => random.chance(Math.min(0.95, p * noise));

  const base = (source: SyntheticSource, suffix: string, olderAddress: boolean, at: string): LabelledRecord => {
    const address = olderAddress && person.previousAddress ? person.previousAddress : person.address;
    const swapNames = random.chance(0.02 * noise);
    const given = nameVariant(random, person.givenName, noise, source === 'support' || source === 'usage' ? 0.3 : 0.05);
    const family = noisyName(random, person.familyName, noise);
    const dob = person.dateOfBirth;
    let dateText: string | null = null;
    if (dob !== null && !missing(source === 'crm' ? 0.03 : 0.15)) {
      const corrupted = random.chance(0.02 * noise) ? corruptDate(random, dob) : dob;
      dateText = formatDate(random, corrupted, source, random.chance(0.04 * noise));
    }
    return {
      entity_id: person.entityId,
      source,
      record_id: `${RECORD_PREFIX[source]}-${serial}${suffix}`,
      given_name: swapNames ? family : given,
      family_name: swapNames ? given : family,
      date_of_birth: dateText,
      phone: null,
      email: null,
      national_id: null,
      account_id: null,
      address_line1: missing(0.05) ? null : address.line1,
      address_line2: address.line2,
      street_number: missing(0.05) ? null : address.streetNumber,
      city: missing(0.05) ? null : address.city,
      postcode: missing(0.05) ? null : address.postcode,
      region: address.region,
      country: random.chance(0.5) ? address.country : null,
      updated_at: at,
    };
  };

  const phoneText = (allowFamily: boolean, older: boolean): string | null => {
    let number = person.phone;
    if (older && person.previousPhone) number = person.previousPhone;
    if (allowFamily && person.householdPhone && random.chance(0.35)) number = person.householdPhone;
    if (number === null) return null;
    if (random.chance(0.01 * noise)) number = number.slice(0, -4) + transpose(random, number.slice(-4));
    return formatPhone(random, number);
  };
  const emailText = (allowSecond: boolean): string | null => {
    let email = person.email;
    if (allowSecond && person.secondEmail && random.chance(0.5)) email = person.secondEmail;
    if (email === null) return null;
    if (random.chance(0.02 * noise)) email = typo(random, email);
    return random.chance(0.1) ? ` ${email.toUpperCase()} ` : email;
  };
  const moved = person.previousAddress !== null && person.previousAddress !== undefined;

  if (sourceSet.has('crm') && random.chance(0.95)) {
    const record = base('crm', '', moved && random.chance(0.6), updatedAt(random, 2019, 2022));
    record.phone = missing(0.05) ? null : phoneText(true, random.chance(0.7));
    record.email = missing(0.1) ? null : emailText(false);
    record.national_id = person.nationalId === null || missing(0.2) ? null : person.nationalId.replace(/^(\d{3})(\d{2})(\d{4})$/, '$1-$2-$3');
    record.account_id = missing(0.1) ? null : person.accountId;
    records.push(record);
  }
  if (sourceSet.has('billing') && random.chance(0.85)) {
    const record = base('billing', '', false, updatedAt(random, 2023, 2025));
    record.phone = missing(0.1) ? null : phoneText(false, false);
    record.email = missing(0.1) ? null : emailText(false);
    record.national_id = person.nationalId === null || missing(0.4) ? null : random.chance(0.02 * noise) ? transpose(random, person.nationalId) : person.nationalId;
    record.account_id = person.accountId;
    records.push(record);
  }
  if (sourceSet.has('support')) {
    const tickets = random.chance(0.6) ? (random.chance(0.35) ? 2 : 1) : 0;
    for (let t = 0; t < tickets; t++) {
      const record = base('support', `-${t + 1}`, moved && random.chance(0.3), updatedAt(random, 2020, 2025));
      record.phone = missing(0.05) ? null : phoneText(true, random.chance(0.2));
      record.email = missing(0.3) ? null : emailText(true);
      if (random.chance(0.6)) {
        record.address_line1 = null;
        record.address_line2 = null;
        record.street_number = null;
        record.city = null;
        record.region = null;
      }
      if (t === 1 && random.chance(0.6)) {
        // The second ticket, typed in a hurry.
        record.family_name = typo(random, record.family_name ?? '');
      }
      record.account_id = random.chance(0.3) ? person.accountId : null;
      records.push(record);
    }
  }
  if (sourceSet.has('usage') && random.chance(0.7)) {
    const record = base('usage', '', false, updatedAt(random, 2024, 2025));
    record.phone = phoneText(false, false);
    record.email = missing(0.2) ? null : emailText(true);
    record.account_id = person.accountId;
    if (random.chance(0.4)) record.date_of_birth = null;
    if (random.chance(0.5)) {
      record.address_line1 = null;
      record.street_number = null;
      record.address_line2 = null;
    }
    records.push(record);
  }
  if (records.length === 0) {
    // Everyone the contact centre knows of exists in at least one system.
    const record = base('crm', '', false, updatedAt(random, 2019, 2025));
    record.phone = phoneText(false, false);
    record.account_id = person.accountId;
    records.push(record);
  }
  return records;
}

export interface IdentityDatasetOptions {
  people: number;
  seed: number | string;
  sources: readonly SyntheticSource[];
  noise: number;
}

/** Labelled source records for `people` generated people, streamed one person at a time. */
export function* generateIdentityRecords(options: Partial<IdentityDatasetOptions> = {}): Generator<LabelledRecord> {
  const settings: IdentityDatasetOptions = { people: 1000, seed: 1, sources: SYNTHETIC_SOURCES, noise: 1, ...options };
  const random = createRandom(settings.seed);
  const peopleRandom = random.fork('people');
  const recordRandom = random.fork('records');
  const batch = 1000;
  for (let done = 0; done < settings.people; done += batch) {
    const people = generatePeople(Math.min(batch, settings.people - done), peopleRandom, `P${Math.floor(done / batch)}-`);
    for (const person of people) yield* sourceRecordsForPerson(person, recordRandom, { sources: settings.sources, noise: settings.noise });
  }
}

/** Adapts a demo-data customer profile so the generator can give it source records. */
export function personFromProfile(profile: CustomerProfile): SyntheticPerson {
  return {
    entityId: profile.id,
    givenName: profile.givenName,
    familyName: profile.familyName,
    dateOfBirth: profile.dateOfBirth,
    phone: profile.phones[0] ?? null,
    previousPhone: profile.phones[1] ?? null,
    householdPhone: null,
    email: profile.email,
    nationalId: null,
    accountId: profile.accountId,
    address: {
      streetNumber: '',
      line1: profile.address.line1 ?? '',
      line2: null,
      city: profile.address.city ?? '',
      postcode: profile.address.postcode ?? '',
      region: profile.address.region ?? '',
      country: profile.address.country,
    },
    previousAddress: null,
  };
}
