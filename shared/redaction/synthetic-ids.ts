import type { Random } from '../util/random';

/**
 * Made-up personal identifiers with valid check digits, for test data and
 * for planting into real text when redaction is measured. Written here, not
 * taken from ./checksums, so the values that test the detectors are not made
 * by the code under test.
 */

export const digits = (r: Random, n: number): string => Array.from({ length: n }, () => String(r.int(0, 9))).join('');

export function luhnCheckDigit(payload: string): string {
  // Weights 2,1,2,1... from the right of the payload (the check digit takes weight 1).
  let total = 0;
  [...payload].reverse().forEach((ch, i) => {
    const product = Number(ch) * (i % 2 === 0 ? 2 : 1);
    total += Math.floor(product / 10) + (product % 10);
  });
  return String((10 - (total % 10)) % 10);
}
export function makeCard(r: Random, prefix: string, length: number): string {
  const payload = prefix + digits(r, length - prefix.length - 1);
  return payload + luhnCheckDigit(payload);
}
export function letterValue(ch: string): string {
  return /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
}
export function makeIban(country: string, bban: string): string {
  const numeric = [...(bban + country + '00')].map(letterValue).join('');
  const check = 98n - (BigInt(numeric) % 97n);
  return country + String(check).padStart(2, '0') + bban;
}
export const upper = (r: Random, n: number): string => Array.from({ length: n }, () => String.fromCharCode(65 + r.int(0, 25))).join('');
export const alnum = (r: Random, n: number): string =>
  Array.from({ length: n }, () => (r.chance(0.3) ? String.fromCharCode(65 + r.int(0, 25)) : String(r.int(0, 9)))).join('');

export function makeTeudatZehut(r: Random): string {
  const body = digits(r, 8);
  let total = 0;
  [...body].forEach((ch, i) => {
    const v = Number(ch) * (i % 2 === 0 ? 1 : 2);
    total += v > 9 ? v - 9 : v;
  });
  return body + String((10 - (total % 10)) % 10);
}
export function makeSsn(r: Random): string {
  let area = r.int(1, 899);
  if (area === 666) area = 667;
  return `${String(area).padStart(3, '0')}-${String(r.int(1, 99)).padStart(2, '0')}-${String(r.int(1, 9999)).padStart(4, '0')}`;
}
export function makeNino(r: Random): string {
  const first = 'ABCEGHJKLMNOPRSTWXYZ';
  const second = 'ABCEGHJKLMNPRSTWXYZ';
  let prefix: string;
  do prefix = (first[r.int(0, first.length - 1)] as string) + (second[r.int(0, second.length - 1)] as string);
  while (['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ'].includes(prefix));
  return prefix + digits(r, 6) + 'ABCD'[r.int(0, 3)];
}
export function makeDni(r: Random): string {
  const n = r.int(10_000_000, 99_999_999);
  return String(n) + 'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23];
}
export function makeNie(r: Random): string {
  const lead = r.int(0, 2);
  const rest = digits(r, 7);
  return 'XYZ'[lead] + rest + 'TRWAGMYFPDXBNJZSQVHLCKE'[Number(String(lead) + rest) % 23];
}
export function makeChineseId(r: Random): string {
  const region = r.pick(['110105', '310104', '440106', '510107', '330106']);
  const birth = `${r.int(1950, 2004)}${String(r.int(1, 12)).padStart(2, '0')}${String(r.int(1, 28)).padStart(2, '0')}`;
  const body = region + birth + digits(r, 3);
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const total = [...body].reduce((s, ch, i) => s + Number(ch) * (weights[i] as number), 0);
  return body + '10X98765432'[total % 11];
}
export function makeNir(r: Random): string {
  const dept = r.chance(0.1) ? r.pick(['2A', '2B']) : String(r.int(1, 95)).padStart(2, '0');
  const body = `${r.int(1, 2)}${String(r.int(40, 99))}${String(r.int(1, 12)).padStart(2, '0')}${dept}${digits(r, 3)}${digits(r, 3)}`;
  const numeric = BigInt(body.replace('2A', '19').replace('2B', '18'));
  return body + String(97n - (numeric % 97n)).padStart(2, '0');
}
export function makeGermanTaxId(r: Random): string {
  // Ten digits, first not 0, one digit used twice and one missing, then ISO 7064 MOD 11,10.
  for (;;) {
    const pool = r.pick(['0123456789']).split('');
    const missing = pool.splice(r.int(0, 9), 1)[0] as string;
    const twice = r.pick(pool);
    const ten = [...pool, twice];
    for (let i = ten.length - 1; i > 0; i--) {
      const j = r.int(0, i);
      [ten[i], ten[j]] = [ten[j] as string, ten[i] as string];
    }
    if (ten[0] === '0' || missing === twice) continue;
    let product = 10;
    for (const d of ten) {
      let sum = (Number(d) + product) % 10;
      if (sum === 0) sum = 10;
      product = (2 * sum) % 11;
    }
    const check = (11 - product) % 10;
    return ten.join('') + String(check);
  }
}
export function makeSnils(r: Random): string {
  const body = String(r.int(2_000_000, 999_999_999)).padStart(9, '0');
  const total = [...body].reduce((s, ch, i) => s + Number(ch) * (9 - i), 0);
  const check = total < 100 ? total : total % 101 === 100 ? 0 : total % 101;
  return body + String(check).padStart(2, '0');
}
export function makeInn(r: Random): string {
  const body = String(r.int(1, 99)).padStart(2, '0') + digits(r, 8);
  const c1 = ([7, 2, 4, 10, 3, 5, 9, 4, 6, 8].reduce((s, w, i) => s + w * Number(body[i]), 0) % 11) % 10;
  const with1 = body + String(c1);
  const c2 = ([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8].reduce((s, w, i) => s + w * Number(with1[i]), 0) % 11) % 10;
  return with1 + String(c2);
}
