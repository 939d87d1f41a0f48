/**
 * Check-digit algorithms for the identifiers the redactor recognises.
 * Why hand-written: each is a few lines of published arithmetic, and the
 * libraries that bundle them (validator.js and similar) pull in far more than
 * shared/ should carry while covering only some of these countries.
 * Every function takes the identifier with separators already removed.
 */

const digitsOnly = /^\d+$/;

/** Luhn mod 10 (payment cards, ISO/IEC 7812). */
export function luhnValid(digits: string): boolean {
  if (!digitsOnly.test(digits) || digits.length < 2) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** ISO 13616 IBAN check: rearranged, letters to numbers, mod 97 must be 1. */
export function ibanMod97Valid(compactIban: string): boolean {
  const iban = compactIban.toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const d of value) remainder = (remainder * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/** Israeli Teudat Zehut: 9 digits (left-padded), alternating weights 1,2, digit sums, mod 10. */
export function israeliIdValid(raw: string): boolean {
  if (!digitsOnly.test(raw) || raw.length > 9 || raw.length < 5) return false;
  const id = raw.padStart(9, '0');
  if (/^0+$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let step = (id.charCodeAt(i) - 48) * ((i % 2) + 1);
    if (step > 9) step -= 9;
    sum += step;
  }
  return sum % 10 === 0;
}

const DNI_LETTERS = 'TRWAGMYFPDXBNJZSQVHLCKE';

/** Spanish DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter): letter = number mod 23. */
export function spanishDniValid(raw: string): boolean {
  const id = raw.toUpperCase();
  const nie = /^([XYZ])(\d{7})([A-Z])$/.exec(id);
  const dni = /^(\d{8})([A-Z])$/.exec(id);
  let number: number;
  let letter: string;
  if (nie) {
    number = Number(String('XYZ'.indexOf(nie[1] as string)) + nie[2]);
    letter = nie[3] as string;
  } else if (dni) {
    number = Number(dni[1]);
    letter = dni[2] as string;
  } else {
    return false;
  }
  return DNI_LETTERS[number % 23] === letter;
}

const CN_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CN_CHECK = '10X98765432';

/** Chinese resident identity card (GB 11643): 17 digits + ISO 7064 MOD 11-2 check, with a plausible birth date. */
export function chineseResidentIdValid(raw: string): boolean {
  const id = raw.toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < 1900 || year > 2099 || month < 1 || month > 12 || day < 1 || day > 31) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (id.charCodeAt(i) - 48) * (CN_WEIGHTS[i] as number);
  return CN_CHECK[sum % 11] === id[17];
}

/** UK National Insurance number: prefix rules from HMRC's NIM39110; no check digit exists. */
export function ukNinoValid(raw: string): boolean {
  const id = raw.toUpperCase();
  const m = /^([A-Z])([A-Z])\d{6}[A-D]$/.exec(id);
  if (!m) return false;
  const [first, second] = [m[1] as string, m[2] as string];
  if ('DFIQUV'.includes(first) || 'DFIOQUV'.includes(second)) return false;
  return !['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(first + second);
}

/** US SSN: no check digit; area 001-899 except 666, group 01-99, serial 0001-9999. */
export function usSsnValid(raw: string): boolean {
  if (!/^\d{9}$/.test(raw)) return false;
  const area = Number(raw.slice(0, 3));
  const group = Number(raw.slice(3, 5));
  const serial = Number(raw.slice(5));
  return area > 0 && area !== 666 && area < 900 && group > 0 && serial > 0;
}

/** French NIR (INSEE number): 13 characters + key = 97 - (number mod 97); Corsica 2A/2B count as 19/18. */
export function frenchNirValid(raw: string): boolean {
  const id = raw.toUpperCase();
  if (!/^[12]\d{4}(?:\d{2}|2A|2B)\d{8}$/.test(id)) return false;
  const body = id.slice(0, 13).replace('2A', '19').replace('2B', '18');
  const key = Number(id.slice(13));
  return 97 - (Number(body) % 97) === key;
}

/** German tax id (Steuer-IdNr): 11 digits, digit-repetition rule, ISO 7064 MOD 11,10 check. */
export function germanTaxIdValid(raw: string): boolean {
  if (!/^[1-9]\d{10}$/.test(raw)) return false;
  const counts = new Map<string, number>();
  for (const d of raw.slice(0, 10)) counts.set(d, (counts.get(d) ?? 0) + 1);
  const repeated = [...counts.values()].filter((c) => c > 1);
  if (repeated.length !== 1 || (repeated[0] as number) > 3) return false;
  let product = 10;
  for (let i = 0; i < 10; i++) {
    let sum = (raw.charCodeAt(i) - 48 + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  let check = 11 - product;
  if (check === 10) check = 0;
  return check === raw.charCodeAt(10) - 48;
}

/** Russian SNILS: 9 digits + 2-digit check (weighted sum, mod 101, 100 -> 00). */
export function russianSnilsValid(raw: string): boolean {
  if (!/^\d{11}$/.test(raw)) return false;
  if (Number(raw.slice(0, 9)) <= 1001998) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (raw.charCodeAt(i) - 48) * (9 - i);
  let check = sum < 100 ? sum : sum % 101;
  if (check === 100) check = 0;
  return check === Number(raw.slice(9));
}

const INN_W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN_W11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN_W12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

function innCheck(digits: string, weights: readonly number[]): number {
  let sum = 0;
  weights.forEach((w, i) => (sum += w * (digits.charCodeAt(i) - 48)));
  return (sum % 11) % 10;
}

/** Russian INN: 12-digit personal (two checks) or 10-digit (one check). */
export function russianInnValid(raw: string): boolean {
  if (/^\d{12}$/.test(raw)) {
    return innCheck(raw, INN_W11) === raw.charCodeAt(10) - 48 && innCheck(raw, INN_W12) === raw.charCodeAt(11) - 48;
  }
  if (/^\d{10}$/.test(raw)) return innCheck(raw, INN_W10) === raw.charCodeAt(9) - 48;
  return false;
}
