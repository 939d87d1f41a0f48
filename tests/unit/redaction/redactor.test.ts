import { describe, expect, it } from 'vitest';
import { type PiiCategory, type RedactionProfile, createRedactor, parseProfileInput, redactionProfileSchema, restore } from '@shared/redaction/index';

const profile = (p: Partial<RedactionProfile>): RedactionProfile => redactionProfileSchema.parse(p);

function categoriesIn(text: string, region = 'US', p?: RedactionProfile): PiiCategory[] {
  return createRedactor({ defaultRegion: region })
    .redact(text, p)
    .spans.map((s) => s.category);
}

function redacted(text: string, region = 'US', p?: RedactionProfile): string {
  return createRedactor({ defaultRegion: region }).redact(text, p).text;
}

describe('payment cards', () => {
  it.each([
    ['visa spaced', '4111 1111 1111 1111'],
    ['visa dashed', '4111-1111-1111-1111'],
    ['mastercard compact', '5555555555554444'],
    ['mastercard 2-series', '2223 0031 2200 3222'],
    ['amex 4-6-5', '3782 822463 10005'],
    ['discover', '6011 1111 1111 1117'],
    ['jcb', '3530 1113 3330 0000'],
    ['unionpay 19', '6212 3456 7890 1234 569'],
  ])('%s', (_name, card) => {
    const text = `please charge ${card} today`;
    const r = createRedactor().redact(text);
    expect(r.text).toBe('please charge [CARD_1] today');
    expect(r.mapping['[CARD_1]']).toBe(card);
  });

  it('leaves Luhn-invalid numbers and short numbers alone', () => {
    expect(categoriesIn('order 4111 1111 1111 1112 shipped')).not.toContain('CARD');
    expect(categoriesIn('card ending 4242')).toEqual([]);
  });

  it('finds the card when an expiry or CVV follows it', () => {
    expect(redacted('card 4111 1111 1111 1111 12 25 cvv 123')).toContain('[CARD_1] 12 25');
  });
});

describe('IBANs', () => {
  it.each(['GB82 WEST 1234 5698 7654 32', 'DE89370400440532013000', 'fr14 2004 1010 0505 0001 3m02 606', 'IL62 0108 0000 0009 9999 999'])('%s', (iban) => {
    expect(redacted(`IBAN: ${iban}.`)).toBe('IBAN: [IBAN_1].');
  });

  it('rejects a wrong check', () => {
    expect(categoriesIn('GB82 WEST 1234 5698 7654 33')).not.toContain('IBAN');
  });
});

describe('national ids (configurable per country)', () => {
  it.each([
    ['US SSN', 'SSN 078-05-1120', 'US'],
    ['US SSN without dashes, announced', 'my SSN is 078051120', 'US'],
    ['UK NINO', 'NI number AB 12 34 56 C', 'GB'],
    ['Israeli TZ', 'תעודת זהות 123456782', 'IL'],
    ['Spanish DNI', 'DNI 12345678Z', 'ES'],
    ['Spanish NIE', 'NIE X1234567L', 'ES'],
    ['Chinese resident id', '身份证号 11010519491231002X', 'CN'],
    ['French NIR', 'sécurité sociale 2 55 08 14 168 025 38', 'FR'],
    ['German tax id', 'Steuer-ID 86 095 742 719', 'DE'],
    ['Russian SNILS', 'СНИЛС 112-233-445 95', 'RU'],
    ['Russian INN', 'ИНН 500100732259', 'RU'],
    ['Russian passport, announced', 'паспорт 45 08 123456', 'RU'],
  ])('%s', (_name, text, region) => {
    expect(categoriesIn(text, region)).toEqual(['NATIONAL_ID']);
  });

  it('does not take a bare 9-digit number for an SSN without the keyword', () => {
    expect(categoriesIn('order 078051120 shipped')).not.toContain('NATIONAL_ID');
  });

  it('searches only the configured countries', () => {
    const onlyUs = createRedactor({ nationalIdCountries: ['US'] });
    expect(onlyUs.redact('DNI 12345678Z').spans).toEqual([]);
    expect(onlyUs.redact('SSN 078-05-1120').spans.map((s) => s.category)).toEqual(['NATIONAL_ID']);
  });

  // A leaked id costs more than a needless placeholder: a mistyped or misremembered id is still redacted.
  it('redacts an id whose check fails when it is written as an id, or announced as one', () => {
    expect(categoriesIn('DNI 12345678A', 'ES')).toEqual(['NATIONAL_ID']);
    expect(categoriesIn('身份证号 110105194912310021', 'CN')).toEqual(['NATIONAL_ID']);
    // An SSN with an area number that is never issued (9xx), and a SNILS with a wrong control number.
    expect(categoriesIn('it is 900-12-3456 I think', 'US')).toEqual(['NATIONAL_ID']);
    expect(categoriesIn('снилс 112-233-445 96', 'RU')).toEqual(['NATIONAL_ID']);
  });

  it('redacts an Israeli id written in spaced or dashed groups', () => {
    expect(redacted('my id is 123 456 782', 'IL')).toBe('my id is [NATIONAL_ID_1]');
    // Dashed groups with a failing check read as a phone number too: redacted either way, never left in clear.
    expect(redacted('number 123-456-780 again', 'IL')).toMatch(/^number \[(NATIONAL_ID|PHONE)_1\] again$/);
  });

  it('still needs a valid check or a keyword for a bare run of digits', () => {
    // Nine bare digits that fail the Israeli check: an order number, not an id.
    expect(categoriesIn('order 123456780 shipped', 'IL')).not.toContain('NATIONAL_ID');
    expect(categoriesIn('reference 03091234567', 'DE')).not.toContain('NATIONAL_ID');
  });
});

describe('emails and handles', () => {
  it('redacts addresses, including unicode and spelled-out ones', () => {
    expect(redacted('mail dana.cohen+bills@example.co.il now')).toBe('mail [EMAIL_1] now');
    expect(redacted('почта иван@почта.рф')).toBe('почта [EMAIL_1]');
    expect(redacted('write to jdoe (at) example (dot) com')).toBe('write to [EMAIL_1]');
  });

  it('redacts @handles but not the @ of an e-mail address, and honours the allowlist', () => {
    expect(redacted('@HPSupport my friend @mike_r has it, mail mike@example.com')).toBe('[HANDLE_1] my friend [HANDLE_2] has it, mail [EMAIL_1]');
    const keepCompany = createRedactor({ handleAllowlist: ['@hpsupport'] });
    expect(keepCompany.redact('@HPSupport help @mike_r').text).toBe('@HPSupport help [HANDLE_1]');
    expect(createRedactor({ redactHandles: false }).redact('@mike_r').text).toBe('@mike_r');
  });
});

describe('phone numbers', () => {
  it.each([
    ['US local', '(415) 555-2671', 'US'],
    ['US international', '+1 212 456 7890', 'GB'],
    ['UK mobile', '07911 123456', 'GB'],
    ['UK international with trunk', '+44 (0)20 7946 0958', 'US'],
    ['Israeli mobile', '050-123-4567', 'IL'],
    ['Israeli international', '+972 52 123 4567', 'US'],
    ['German landline with slash', '030/12345678', 'DE'],
    ['French pairs', '06 12 34 56 78', 'FR'],
    ['Spanish mobile', '612 34 56 78', 'ES'],
    ['Chinese mobile glued to Han text', '13800138000', 'CN'],
    ['Russian with trunk 8', '8 (912) 345-67-89', 'RU'],
  ])('%s', (_name, phone, region) => {
    const r = createRedactor({ defaultRegion: region }).redact(`电话 ${phone} thanks`);
    expect(r.text).toBe('电话 [PHONE_1] thanks');
  });

  it('catches a foreign local format with the shape fallback', () => {
    expect(redacted('my cousin in Berlin: 030 91234567', 'US')).toBe('my cousin in Berlin: [PHONE_1]');
  });

  it('leaves dates, times, prices, versions and web addresses alone', () => {
    const clean = 'On 2024-05-12 at 10:30 I paid $1,234.56 for version 10.2.3.4567, see https://web.archive.org/web/20191213044137/https://support.hp.com/us-en';
    expect(redacted(clean, 'US')).toBe(clean);
    expect(redacted(clean, 'IL')).toBe(clean);
  });

  it('lists separated by commas are split into separate numbers', () => {
    const r = createRedactor({ defaultRegion: 'DE' }).redact('030 12345678, 0151 23456789');
    expect(r.text).toBe('[PHONE_1], [PHONE_2]');
  });
});

describe('values known from the profile', () => {
  const dana = profile({ givenNames: ['Dana'], familyNames: ['Cohen'], accountIds: ['ACC-00412345'], addressLines: ['12 Herzl Street'], postcodes: ['3303012'], phones: ['+972521234567'] });

  it('names: whole word, any case, without diacritics', () => {
    expect(redacted('DANA COHEN called; dana said cohen’s bill is wrong. Danalyn is someone else.', 'IL', dana)).toBe(
      '[NAME_1] called; [NAME_2] said [NAME_3]’s bill is wrong. Danalyn is someone else.',
    );
    const jose = profile({ givenNames: ['José'], familyNames: ['Núñez'] });
    expect(redacted('jose nunez and JOSÉ NÚÑEZ', 'ES', jose)).toBe('[NAME_1] and [NAME_1]');
    const muller = profile({ givenNames: ['Jürgen'], familyNames: ['Müller'] });
    // "Mueller, Juergen" is the full name, family first.
    expect(redacted('Herr Mueller, Juergen Muller', 'DE', muller)).toBe('Herr [NAME_1] [NAME_2]');
  });

  it('names in Hebrew with joined prefixes, Russian cases and Chinese without spaces', () => {
    const hebrew = profile({ givenNames: ['דנה'], familyNames: ['כהן'] });
    expect(redacted('תגידו לדנה שכהן התקשר', 'IL', hebrew)).toBe('תגידו [NAME_1] התקשר');
    expect(redacted('דיברתי עם כהן ואז עם ודנה', 'IL', hebrew)).toBe('דיברתי עם [NAME_1] ואז עם [NAME_2]');
    expect(redacted('Передайте Ивану Петрову', 'RU', profile({ givenNames: ['Иван'], familyNames: ['Петров'] }))).toBe('Передайте [NAME_1]');
    expect(redacted('我是李小龙，小龙在家', 'CN', profile({ givenNames: ['小龙'], familyNames: ['李'] }))).toBe('我是[NAME_1]，[NAME_2]在家');
  });

  it('a given name that is an everyday word counts only when capitalised', () => {
    const will = profile({ givenNames: ['Will'], familyNames: ['Page'] });
    expect(redacted('I will check, Will said', 'US', will)).toBe('I will check, [NAME_1] said');
  });

  it('account number with or without separators, and its bare number', () => {
    expect(redacted('account ACC00412345, or acc-0041-2345, or just 00412345', 'IL', dana)).toBe('account [ACCOUNT_1], or [ACCOUNT_1], or just [ACCOUNT_1]');
  });

  it('address: abbreviations, the street alone and the postcode', () => {
    expect(redacted('I live at 12 Herzl St., 3303012; the Herzl Street office', 'IL', dana)).toBe('I live at [ADDRESS_1]., [ADDRESS_2]; the [ADDRESS_3] office');
  });

  it('the profile phone in any format maps to one placeholder', () => {
    expect(redacted('call 052-123-4567 or +972 52 123 4567 or 0521234567', 'IL', dana)).toBe('call [PHONE_1] or [PHONE_1] or [PHONE_1]');
  });

  it('accepts a customer profile or a redaction profile as input, and names what is wrong otherwise', () => {
    const fromCustomer = parseProfileInput({ givenName: 'Dana', familyName: 'Cohen', accountId: 'A1', phones: [], email: null, address: { line1: '1 Main St', city: 'Haifa', postcode: '123' } });
    expect(fromCustomer.addressLines).toEqual(['1 Main St']);
    expect(parseProfileInput({ givenNames: ['X'] }).givenNames).toEqual(['X']);
    expect(() => parseProfileInput({ name: 'Dana' })).toThrow(/givenName/);
  });
});

describe('placeholders and restore', () => {
  it('same value, same placeholder; longest span wins; restore round-trips', () => {
    const r = createRedactor({ defaultRegion: 'IL' });
    const session = r.createSession(profile({ givenNames: ['Dana'], familyNames: ['Cohen'] }));
    const a = session.redact('Dana wrote from dana.cohen@example.com about 4111 1111 1111 1111');
    const b = session.redact('Again 4111 1111 1111 1111 and dana.cohen@example.com, signed Dana');
    expect(a).toBe('[NAME_1] wrote from [EMAIL_1] about [CARD_1]');
    expect(b).toBe('Again [CARD_1] and [EMAIL_1], signed [NAME_1]');
    expect(restore(a, session.mapping)).toBe('Dana wrote from dana.cohen@example.com about 4111 1111 1111 1111');
    expect(session.counts()).toMatchObject({ NAME: 2, EMAIL: 2, CARD: 2 });
    expect(session.distinctCounts()).toMatchObject({ NAME: 1, EMAIL: 1, CARD: 1 });
  });

  it('restores only placeholders it knows', () => {
    expect(restore('[NAME_1] and [NAME_2] and [CARD_1]', { '[NAME_1]': 'Dana' })).toBe('Dana and [NAME_2] and [CARD_1]');
  });

  it('defangs placeholder look-alikes typed by a customer, so they cannot be restored', () => {
    const r = createRedactor().redact('my card is [CARD_1], also [ name 2 ] and [Phone-3]');
    expect(r.text).toBe('my card is (CARD 1), also (NAME 2) and (PHONE 3)');
    expect(r.mapping).toEqual({});
  });

  it('round-trips text with many kinds of personal data', () => {
    const text = 'Dana Cohen, +972 52 123 4567, GB82 WEST 1234 5698 7654 32, SSN 078-05-1120, @dana_c, 4111-1111-1111-1111.';
    const r = createRedactor({ defaultRegion: 'IL' }).redact(text, profile({ givenNames: ['Dana'], familyNames: ['Cohen'] }));
    expect(r.text).toBe('[NAME_1], [PHONE_1], [IBAN_1], SSN [NATIONAL_ID_1], [HANDLE_1], [CARD_1].');
    expect(restore(r.text, r.mapping)).toBe(text);
  });

  it('rejects a bad configuration with a clear message', () => {
    expect(() => createRedactor({ defaultRegion: 'Israel' })).toThrow(/two-letter region/);
  });
});

describe('names outside the profile', () => {
  it.each([
    ['@x Hi Mary, the support is limited', '[HANDLE_1] Hi [NAME_1], the support is limited'],
    ["Hello, Thomas! I'd like to help", "Hello, [NAME_1]! I'd like to help"],
    ['Dear Ms Carter,\nyour plan', 'Dear Ms [NAME_1],\nyour plan'],
    ['Здравствуйте, Анна!', 'Здравствуйте, [NAME_1]!'],
    ['account name: Adekunle Adeoye, email', 'account name: [NAME_1], email'],
    ['меня зовут Ольга Сидорова.', 'меня зовут [NAME_1].'],
  ])('greeted or introduced: %s', (text, expected) => {
    expect(redacted(text)).toBe(expected);
  });

  it.each(['Hi there, welcome', 'Hi HP, my printer', 'Hi All,', 'Thank you so much!', 'This is unacceptable', 'This is Really bad'])('leaves "%s" alone', (text) => {
    expect(redacted(text)).toBe(text);
  });

  it('can be switched off', () => {
    expect(createRedactor({ announcedNames: false }).redact('Hi Mary,').text).toBe('Hi Mary,');
  });
});

describe('numbers that only look like phone numbers', () => {
  it.each(['Windows 10 Pro 1909 18363.720 update', 'intel version 26.20.100.7262 driver', 'Error 0x80070005 again', 'Part number L38120-001'])('%s', (text) => {
    expect(redacted(text)).toBe(text);
  });
});
