import { describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '@shared/identity/canonical';
import { parseDate } from '@shared/identity/dates';
import { standardisePhone } from '@shared/identity/phones';
import { isMatchable, standardiseRecord } from '@shared/identity/standardise';
import { displayName, foldText, nameKey } from '@shared/identity/text';

const record = (fields: Partial<CanonicalRecord>): CanonicalRecord => ({ source: 'crm', record_id: 'r1', ...fields });

describe('standardisePhone', () => {
  it('reads national, international, 00-prefixed and punctuated forms as one E.164 number', () => {
    const forms = ['(212) 736-5000', '212.736.5000', '+1 212 736 5000', '001 212 736 5000', '1-212-736-5000', '2127365000'];
    const results = forms.map((form) => standardisePhone(form, 'US'));
    for (const result of results) expect(result).toEqual({ ok: true, e164: '+12127365000', valid: true });
  });

  it('uses the default region for national numbers', () => {
    expect(standardisePhone('052-123-4567', 'IL')).toMatchObject({ ok: true, e164: '+972521234567' });
    expect(standardisePhone('020 7946 0958', 'GB')).toMatchObject({ ok: true, e164: '+442079460958' });
  });

  it('rejects text without a number and numbers of an impossible length', () => {
    expect(standardisePhone('call me', 'US').ok).toBe(false);
    expect(standardisePhone('12', 'US').ok).toBe(false);
  });
});

describe('parseDate', () => {
  const mdy = { order: 'MDY' as const, twoDigitYearPivot: 30, minYear: 1900, maxYear: 2035 };
  const dmy = { ...mdy, order: 'DMY' as const };

  it.each([
    ['1980-03-12', '1980-03-12'],
    ['1980/3/12', '1980-03-12'],
    ['19800312', '1980-03-12'],
    ['12 Mar 1980', '1980-03-12'],
    ['12th March 1980', '1980-03-12'],
    ['March 12, 1980', '1980-03-12'],
    ['1980-03-12T00:00:00Z', '1980-03-12'],
  ])('reads %s', (raw, iso) => {
    expect(parseDate(raw, dmy)).toMatchObject({ ok: true, iso });
  });

  it('settles D/M against M/D when one part cannot be a month, whatever the preference', () => {
    expect(parseDate('25/12/1980', mdy)).toEqual({ ok: true, iso: '1980-12-25', ambiguous: false });
    expect(parseDate('12/25/1980', dmy)).toEqual({ ok: true, iso: '1980-12-25', ambiguous: false });
  });

  it('uses the configured order for ambiguous dates and says so', () => {
    expect(parseDate('03/04/1980', dmy)).toEqual({ ok: true, iso: '1980-04-03', ambiguous: true });
    expect(parseDate('03/04/1980', mdy)).toEqual({ ok: true, iso: '1980-03-04', ambiguous: true });
  });

  it('expands two-digit years around the pivot', () => {
    expect(parseDate('12.03.80', dmy)).toMatchObject({ iso: '1980-03-12' });
    expect(parseDate('12.03.05', dmy)).toMatchObject({ iso: '2005-03-12' });
  });

  it('gives a reason for impossible dates', () => {
    expect(parseDate('1980-02-30', dmy)).toMatchObject({ ok: false, reason: expect.stringContaining('day 30') });
    expect(parseDate('31/13/1980', dmy)).toMatchObject({ ok: false });
    expect(parseDate('1850-01-01', dmy)).toMatchObject({ ok: false, reason: expect.stringContaining('outside') });
    expect(parseDate('soon', dmy)).toMatchObject({ ok: false, reason: 'not a recognised date format' });
  });
});

describe('names', () => {
  it('folds diacritics, case and punctuation for comparison', () => {
    expect(foldText('  José-María  Ñúñez ')).toBe('jose maria nunez');
    expect(nameKey("O'Neil")).toBe(nameKey('oneil'));
    expect(nameKey('Dr. Straße')).toBe('strasse');
  });

  it('keeps a display form, title-casing only all-caps or all-lower input', () => {
    expect(displayName('  JOHN   SMITH ')).toBe('John Smith');
    expect(displayName("mary o'neil-jones")).toBe("Mary O'Neil-Jones");
    expect(displayName('McDonald')).toBe('McDonald');
    expect(displayName('José')).toBe('José');
  });
});

describe('standardiseRecord', () => {
  it('cleans every field and keeps the display forms', () => {
    const result = standardiseRecord(
      record({ given_name: 'JOSÉ', family_name: ' garcía ', email: '  Jose.Garcia@Example.COM ', phone: '(212) 736-5000', date_of_birth: '12 Mar 1980', national_id: '123-45-6789', country: 'united states' }),
      { defaultRegion: 'US' },
    );
    expect(result.values).toMatchObject({
      given_name: 'José',
      family_name: 'García',
      email: 'jose.garcia@example.com',
      phone: '+12127365000',
      date_of_birth: '1980-03-12',
      national_id: '123456789',
      country: 'US',
    });
    expect(result.issues).toEqual([]);
    expect(result.key).toBe('crm:r1');
  });

  it('flags invalid values and keeps them instead of dropping them', () => {
    const result = standardiseRecord(record({ email: 'not-an-email', phone: '12', date_of_birth: '31/02/1980', given_name: '1234' }), { defaultRegion: 'US' });
    expect(result.values.email).toBe('not-an-email');
    expect(result.values.phone).toBe('12');
    expect(result.values.date_of_birth).toBe('31/02/1980');
    expect(result.issues.map((issue) => issue.field).sort()).toEqual(['date_of_birth', 'email', 'given_name', 'phone']);
    for (const field of ['email', 'phone', 'date_of_birth', 'given_name'] as const) expect(isMatchable(result, field)).toBe(false);
    expect(result.issues.find((issue) => issue.field === 'date_of_birth')).toMatchObject({ value: '31/02/1980', severity: 'invalid' });
  });

  it('marks an ambiguous date as a warning but still uses it', () => {
    const result = standardiseRecord(record({ date_of_birth: '03/04/1980' }), { defaultRegion: 'GB' });
    expect(result.values.date_of_birth).toBe('1980-04-03');
    expect(result.issues).toEqual([expect.objectContaining({ field: 'date_of_birth', severity: 'warning' })]);
    expect(isMatchable(result, 'date_of_birth')).toBe(true);
  });

  it('reads US-style regions month first by default', () => {
    expect(standardiseRecord(record({ date_of_birth: '03/04/1980' }), { defaultRegion: 'US' }).values.date_of_birth).toBe('1980-03-04');
  });

  it('treats placeholders as missing and defaults the country to the region', () => {
    const result = standardiseRecord(record({ email: 'N/A', phone: 'unknown' }), { defaultRegion: 'IL' });
    expect(result.values.email).toBeNull();
    expect(result.values.phone).toBeNull();
    expect(result.values.country).toBe('IL');
  });

  it('normalises updated_at to one sortable ISO form', () => {
    expect(standardiseRecord(record({ updated_at: '2024-01-02T03:04:05Z' }), { defaultRegion: 'US' }).updatedAt).toBe('2024-01-02T03:04:05.000Z');
    expect(standardiseRecord(record({ updated_at: '2024-01-02' }), { defaultRegion: 'US' }).updatedAt).toBe('2024-01-02T00:00:00.000Z');
    const bad = standardiseRecord(record({ updated_at: 'yesterday' }), { defaultRegion: 'US' });
    expect(bad.updatedAt).toBeNull();
    expect(bad.issues[0]).toMatchObject({ field: 'updated_at', value: 'yesterday' });
  });
});

describe('standardisePhone memo', () => {
  it('gives the same answer for a spelling first seen in another format, and keeps regions apart', () => {
    expect(standardisePhone('+44 20 7946 0958', 'GB')).toMatchObject({ e164: '+442079460958' });
    // The national digits of a GB number must not be read as a US number because of the memo.
    expect(standardisePhone('2079460958', 'US')).not.toMatchObject({ e164: '+442079460958' });
    expect(standardisePhone('020 7946 0958', 'GB')).toMatchObject({ e164: '+442079460958' });
    expect(standardisePhone('+1 415 555 2671', 'US')).toMatchObject({ e164: '+14155552671' });
    expect(standardisePhone('415-555-2671', 'US')).toMatchObject({ e164: '+14155552671' });
  });
});
