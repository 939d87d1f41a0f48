import { describe, expect, it } from 'vitest';
import { IBAN_LENGTHS, NATIONAL_ID_RULES, createRedactor, ibanMod97Valid, isCardNumber } from '@shared/redaction/index';
import { LOCAL_PHONE_REGIONS, PLANT_KINDS, type PlantedLabel, makePlant, makePlantProfile, plantInto } from '@shared/redaction/planting';
import { createRandom } from '@shared/util/random';
import { isValidPhoneNumber } from 'libphonenumber-js';

const TURN = '@ExampleHelp my printer says the cartridge is missing. Bought it last week! Still broken?';

describe('planting known personal data into real text', () => {
  it('generates values that the checks accept: Luhn cards, registry-length IBANs, valid ids and phones', () => {
    const r = createRandom('planting-values');
    const profile = makePlantProfile(r);
    for (let i = 0; i < 300; i++) {
      for (const kind of PLANT_KINDS) {
        const region = LOCAL_PHONE_REGIONS[i % LOCAL_PHONE_REGIONS.length] as string;
        const { value, carrier } = makePlant(r, kind, profile, region);
        expect(carrier).toContain('{v}');
        expect(value.kind).toBe(kind);
        const compact = value.value.replace(/[\s-]/g, '');
        if (kind === 'CARD') expect(isCardNumber(value.value), value.format).toBe(true);
        if (kind === 'IBAN') {
          expect(compact.length, value.format).toBe(IBAN_LENGTHS[compact.slice(0, 2)]);
          expect(ibanMod97Valid(compact), value.format).toBe(true);
        }
        if (kind === 'NATIONAL_ID') {
          const country = value.format.slice(3, 5);
          expect(NATIONAL_ID_RULES.some((rule) => rule.country === country && rule.validate(compact)), value.format).toBe(true);
        }
        if (kind === 'PHONE_INTL') expect(isValidPhoneNumber(value.value), value.format).toBe(true);
        if (kind === 'PHONE_LOCAL') expect(isValidPhoneNumber(value.value, region as 'US'), value.format).toBe(true);
      }
    }
  });

  it('inserts in a carrier phrase and keeps every label on its value as more are planted into the same turn', () => {
    const r = createRandom('planting-offsets');
    const profile = makePlantProfile(r);
    let text = TURN;
    let labels: PlantedLabel[] = [];
    for (let i = 0; i < 40; i++) {
      ({ text, labels } = plantInto(r, text, labels, makePlant(r, PLANT_KINDS[i % PLANT_KINDS.length] as (typeof PLANT_KINDS)[number], profile, 'US')));
      for (const l of labels) expect(text.slice(l.start, l.end)).toBe(l.value);
    }
    expect(labels).toHaveLength(40);
    // The original words are all still there, in order.
    const words = TURN.split(/\s+/);
    let at = 0;
    for (const w of words) {
      at = text.indexOf(w.replace(/[.!?]$/, ''), at);
      expect(at).toBeGreaterThanOrEqual(0);
    }
    // Nothing overlaps.
    for (let i = 1; i < labels.length; i++) expect((labels[i] as PlantedLabel).start).toBeGreaterThanOrEqual((labels[i - 1] as PlantedLabel).end);
  });

  it('is deterministic for a seed', () => {
    const once = () => {
      const r = createRandom('same');
      const profile = makePlantProfile(r);
      return plantInto(r, TURN, [], makePlant(r, 'CARD', profile, 'GB')).text;
    };
    expect(once()).toBe(once());
  });

  it('the label covers exactly the planted value, where the redactor finds it', () => {
    const r = createRandom('planting-miss');
    const profile = makePlantProfile(r);
    const planted = plantInto(r, TURN, [], makePlant(r, 'EMAIL', profile, 'US'));
    const label = planted.labels[0] as PlantedLabel;
    const withEmails = createRedactor().redact(planted.text);
    expect(withEmails.spans.some((s) => s.start <= label.start && s.end >= label.end && s.category === 'EMAIL')).toBe(true);
  });
});
