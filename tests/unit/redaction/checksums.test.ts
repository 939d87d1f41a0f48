import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chineseResidentIdValid,
  frenchNirValid,
  germanTaxIdValid,
  ibanMod97Valid,
  israeliIdValid,
  luhnValid,
  russianInnValid,
  russianSnilsValid,
  spanishDniValid,
  ukNinoValid,
  usSsnValid,
} from '@shared/redaction/index';

// Published examples: card-network test numbers, the IBAN registry's
// specimens, and the samples issuing authorities print in their documentation.
describe('check digits on published examples', () => {
  it('Luhn', () => {
    for (const ok of ['79927398713', '4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '3530111333300000']) {
      expect(luhnValid(ok), ok).toBe(true);
    }
    for (const bad of ['79927398710', '4111111111111112', '1234567812345678', '']) expect(luhnValid(bad), bad).toBe(false);
  });

  it('IBAN mod 97', () => {
    for (const ok of ['GB82WEST12345698765432', 'DE89370400440532013000', 'FR1420041010050500013M02606', 'ES9121000418450200051332', 'IL620108000000099999999', 'NL91ABNA0417164300', 'gb82west12345698765432']) {
      expect(ibanMod97Valid(ok), ok).toBe(true);
    }
    for (const bad of ['GB82WEST12345698765433', 'DE89370400440532013001', 'GB00WEST12345698765432', 'XX']) expect(ibanMod97Valid(bad), bad).toBe(false);
  });

  it('Israeli Teudat Zehut', () => {
    expect(israeliIdValid('123456782')).toBe(true);
    expect(israeliIdValid('000000018')).toBe(true);
    expect(israeliIdValid('18')).toBe(false);
    expect(israeliIdValid('123456789')).toBe(false);
    expect(israeliIdValid('000000000')).toBe(false);
  });

  it('Spanish DNI and NIE', () => {
    expect(spanishDniValid('12345678Z')).toBe(true);
    expect(spanishDniValid('12345678z')).toBe(true);
    expect(spanishDniValid('X1234567L')).toBe(true);
    expect(spanishDniValid('12345678A')).toBe(false);
    expect(spanishDniValid('X1234567A')).toBe(false);
  });

  it('Chinese resident id (MOD 11-2 and birth date)', () => {
    expect(chineseResidentIdValid('11010519491231002X')).toBe(true);
    expect(chineseResidentIdValid('11010519491231002x')).toBe(true);
    expect(chineseResidentIdValid('110105194912310021')).toBe(false);
    expect(chineseResidentIdValid('11010519491331002X')).toBe(false);
  });

  it('UK National Insurance number prefixes', () => {
    expect(ukNinoValid('AB123456C')).toBe(true);
    expect(ukNinoValid('QQ123456C')).toBe(false);
    expect(ukNinoValid('GB123456A')).toBe(false);
    expect(ukNinoValid('AO123456A')).toBe(false);
    expect(ukNinoValid('AB123456E')).toBe(false);
  });

  it('US SSN ranges', () => {
    expect(usSsnValid('078051120')).toBe(true);
    for (const bad of ['000121234', '666121234', '900121234', '123001234', '123450000']) expect(usSsnValid(bad), bad).toBe(false);
  });

  it('French NIR key, including Corsica', () => {
    expect(frenchNirValid('255081416802538')).toBe(true);
    expect(frenchNirValid('269054958815780')).toBe(true);
    expect(frenchNirValid('255081416802539')).toBe(false);
    // sex, year, month, department 2A, commune, order: 13 characters before the key.
    const corsicaBody = '1' + '84' + '01' + '2A' + '123' + '456';
    const key = 97 - (Number(corsicaBody.replace('2A', '19')) % 97);
    expect(frenchNirValid(corsicaBody + String(key).padStart(2, '0'))).toBe(true);
  });

  it('German tax id', () => {
    for (const ok of ['86095742719', '47036892816', '65929970489']) expect(germanTaxIdValid(ok), ok).toBe(true);
    expect(germanTaxIdValid('86095742718')).toBe(false);
    expect(germanTaxIdValid('12345678903')).toBe(false);
    expect(germanTaxIdValid('06095742719')).toBe(false);
  });

  it('Russian SNILS and INN', () => {
    expect(russianSnilsValid('11223344595')).toBe(true);
    expect(russianSnilsValid('11223344596')).toBe(false);
    expect(russianInnValid('500100732259')).toBe(true);
    expect(russianInnValid('500100732258')).toBe(false);
    expect(russianInnValid('7707083893')).toBe(true);
  });
});

describe('check digits catch single-digit typos', () => {
  const digitString = (min: number, max: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));

  it('Luhn: a completed number is valid, any changed digit is not', () => {
    fc.assert(
      fc.property(digitString(11, 18), fc.nat(), fc.integer({ min: 1, max: 9 }), (payload, where, bump) => {
        const check = [...Array(10).keys()].find((d) => luhnValid(payload + d));
        expect(check).toBeDefined();
        const full = payload + String(check);
        const i = where % full.length;
        const typo = full.slice(0, i) + String((Number(full[i]) + bump) % 10) + full.slice(i + 1);
        expect(luhnValid(typo)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('IBAN: mod 97 catches any single substituted character', () => {
    fc.assert(
      fc.property(digitString(18, 18), fc.nat(), fc.integer({ min: 1, max: 9 }), (bban, where, bump) => {
        const numeric = BigInt(bban + '131400');
        const iban = `DE${String(98n - (numeric % 97n)).padStart(2, '0')}${bban}`;
        expect(ibanMod97Valid(iban)).toBe(true);
        const i = 4 + (where % 18);
        const typo = iban.slice(0, i) + String((Number(iban[i]) + bump) % 10) + iban.slice(i + 1);
        expect(ibanMod97Valid(typo)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('Teudat Zehut: exactly one check digit completes eight digits', () => {
    fc.assert(
      fc.property(digitString(8, 8), (body) => {
        expect([...Array(10).keys()].filter((d) => israeliIdValid(body + d))).toHaveLength(/^0+$/.test(body) ? 0 : 1);
      }),
      { numRuns: 200 },
    );
  });
});
