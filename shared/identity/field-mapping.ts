import { MAPPABLE_FIELDS, mappableFieldSchema } from './canonical';
import type { MappableField } from './canonical';

/** field -> source column name. */
export type FieldMapping = Partial<Record<MappableField, string>>;

/** Column names sources commonly use for each field (compared after normalising case and punctuation). */
const SYNONYMS: Record<MappableField, readonly string[]> = {
  source: ['source', 'source_system', 'system', 'src'],
  record_id: ['record_id', 'rec_id', 'recid', 'unique_id', 'uid', 'id', 'record', 'row_id', 'source_id'],
  given_name: ['given_name', 'givenname', 'first_name', 'firstname', 'fname', 'forename', 'first', 'given'],
  family_name: ['family_name', 'familyname', 'last_name', 'lastname', 'surname', 'lname', 'last', 'family'],
  date_of_birth: ['date_of_birth', 'dob', 'birth_date', 'birthdate', 'birthday', 'date_birth'],
  phone: ['phone', 'phone_number', 'phonenumber', 'telephone', 'tel', 'mobile', 'cell', 'phone_no', 'msisdn'],
  email: ['email', 'email_address', 'e_mail', 'mail', 'emailaddress'],
  national_id: ['national_id', 'soc_sec_id', 'ssn', 'social_security_number', 'nid', 'tax_id', 'id_number', 'national_number'],
  account_id: ['account_id', 'account', 'account_number', 'account_no', 'acct', 'acct_id', 'customer_number'],
  address_line1: ['address_line1', 'address_line_1', 'address_1', 'address1', 'addr1', 'street', 'street_address', 'address'],
  address_line2: ['address_line2', 'address_line_2', 'address_2', 'address2', 'addr2'],
  street_number: ['street_number', 'street_no', 'house_number', 'house_no', 'building_number'],
  city: ['city', 'suburb', 'town', 'locality'],
  postcode: ['postcode', 'post_code', 'postal_code', 'zip', 'zipcode', 'zip_code'],
  region: ['region', 'state', 'province', 'county'],
  country: ['country', 'country_code'],
  updated_at: ['updated_at', 'last_updated', 'updated', 'modified', 'modified_at', 'last_modified'],
};

export function normaliseColumnName(name: string): string {
  return name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/**
 * Maps columns to fields: explicit pairs win, then columns named like a
 * field, then common synonyms (surname -> family_name, suburb -> city, ...).
 * A column is used for one field only; `exclude` keeps e.g. the truth column out.
 */
export function autoMapColumns(columns: readonly string[], explicit: FieldMapping = {}, exclude: readonly string[] = []): FieldMapping {
  const mapping: FieldMapping = { ...explicit };
  const used = new Set<string>([...Object.values(explicit), ...exclude].filter((c): c is string => c !== undefined));
  const byNormalised = new Map<string, string>();
  for (const column of columns) {
    const key = normaliseColumnName(column);
    if (!byNormalised.has(key)) byNormalised.set(key, column);
  }
  for (const field of MAPPABLE_FIELDS) {
    if (mapping[field] !== undefined) continue;
    for (const synonym of SYNONYMS[field]) {
      const column = byNormalised.get(synonym);
      if (column !== undefined && !used.has(column)) {
        mapping[field] = column;
        used.add(column);
        break;
      }
    }
  }
  return mapping;
}

export type MappingParseResult = { ok: true; mapping: FieldMapping } | { ok: false; errors: string[] };

/** Parses `field=column` pairs (as given on a command line or in a form). */
export function parseMappingPairs(pairs: readonly string[]): MappingParseResult {
  const mapping: FieldMapping = {};
  const errors: string[] = [];
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0 || at === pair.length - 1) {
      errors.push(`"${pair}" is not field=column`);
      continue;
    }
    const field = mappableFieldSchema.safeParse(pair.slice(0, at).trim());
    if (!field.success) {
      errors.push(`"${pair.slice(0, at)}" is not a field; fields are ${MAPPABLE_FIELDS.join(', ')}`);
      continue;
    }
    mapping[field.data] = pair.slice(at + 1).trim();
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, mapping };
}
