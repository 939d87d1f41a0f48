import { isoToNumber } from './dates';
import { givenNameRoot } from './nicknames';
import { isMatchable } from './standardise';
import type { StandardRecord } from './standardise';
import { foldCompact, foldText, nameKey } from './text';

/** A string column stored as small integer ids into a table of distinct values; -1 is missing. */
export interface InternedColumn {
  ids: Int32Array;
  values: string[];
}

/**
 * The comparison forms of every record, column by column. Typed arrays and
 * interned strings keep a million records in a few hundred megabytes and make
 * exact agreement an integer comparison.
 */
export interface PreparedRecords {
  size: number;
  given: InternedColumn;
  givenRoot: InternedColumn;
  family: InternedColumn;
  /** YYYYMMDD, 0 when missing or invalid. */
  dob: Int32Array;
  phone: InternedColumn;
  email: InternedColumn;
  nationalId: InternedColumn;
  accountId: InternedColumn;
  streetNumber: InternedColumn;
  line1: InternedColumn;
  line2: InternedColumn;
  city: InternedColumn;
  postcode: InternedColumn;
  region: InternedColumn;
  /** Which input each record came from, for linking two files (0 when deduplicating one). */
  dataset: Uint8Array;
}

class ColumnBuilder {
  private readonly index = new Map<string, number>();
  private readonly transformed = new Map<string, string>();
  readonly column: InternedColumn;

  constructor(size: number) {
    this.column = { ids: new Int32Array(size).fill(-1), values: [] };
  }

  /** Sets the comparison form of `raw`, computing it once per distinct raw value. */
  setFrom(row: number, raw: string | null, transform: (value: string) => string): string | null {
    if (raw === null) return null;
    let value = this.transformed.get(raw);
    if (value === undefined) {
      value = transform(raw);
      this.transformed.set(raw, value);
    }
    this.set(row, value);
    return value;
  }

  set(row: number, value: string | null): void {
    if (value === null || value.length === 0) return;
    let id = this.index.get(value);
    if (id === undefined) {
      id = this.column.values.length;
      this.column.values.push(value);
      this.index.set(value, id);
    }
    this.column.ids[row] = id;
  }
}

/** Builds the comparison columns; `datasetOf` tags records for cross-file linking. */
export function prepareRecords(records: readonly StandardRecord[], datasetOf?: (record: StandardRecord, index: number) => number): PreparedRecords {
  const size = records.length;
  const columns = {
    given: new ColumnBuilder(size),
    givenRoot: new ColumnBuilder(size),
    family: new ColumnBuilder(size),
    phone: new ColumnBuilder(size),
    email: new ColumnBuilder(size),
    nationalId: new ColumnBuilder(size),
    accountId: new ColumnBuilder(size),
    streetNumber: new ColumnBuilder(size),
    line1: new ColumnBuilder(size),
    line2: new ColumnBuilder(size),
    city: new ColumnBuilder(size),
    postcode: new ColumnBuilder(size),
    region: new ColumnBuilder(size),
  };
  const dob = new Int32Array(size);
  const dataset = new Uint8Array(size);

  for (let row = 0; row < size; row++) {
    const record = records[row] as StandardRecord;
    const usable = (field: Parameters<typeof isMatchable>[1]): string | null =>
      isMatchable(record, field) ? (record.values[field] as string) : null;
    const givenKey = columns.given.setFrom(row, usable('given_name'), nameKey);
    columns.givenRoot.setFrom(row, givenKey, givenNameRoot);
    columns.family.setFrom(row, usable('family_name'), nameKey);
    const birth = usable('date_of_birth');
    dob[row] = birth === null ? 0 : isoToNumber(birth);
    columns.phone.set(row, usable('phone'));
    columns.email.set(row, usable('email'));
    columns.nationalId.set(row, usable('national_id'));
    columns.accountId.set(row, usable('account_id'));
    columns.streetNumber.setFrom(row, usable('street_number'), foldCompact);
    columns.line1.setFrom(row, usable('address_line1'), foldText);
    columns.line2.setFrom(row, usable('address_line2'), foldText);
    columns.city.setFrom(row, usable('city'), foldText);
    columns.postcode.setFrom(row, usable('postcode'), foldCompact);
    columns.region.setFrom(row, usable('region'), foldCompact);
    dataset[row] = datasetOf === undefined ? 0 : datasetOf(record, row);
  }

  return {
    size,
    given: columns.given.column,
    givenRoot: columns.givenRoot.column,
    family: columns.family.column,
    dob,
    phone: columns.phone.column,
    email: columns.email.column,
    nationalId: columns.nationalId.column,
    accountId: columns.accountId.column,
    streetNumber: columns.streetNumber.column,
    line1: columns.line1.column,
    line2: columns.line2.column,
    city: columns.city.column,
    postcode: columns.postcode.column,
    region: columns.region.column,
    dataset,
  };
}

/** The value of a column for a row, or null. */
export function valueAt(column: InternedColumn, row: number): string | null {
  const id = column.ids[row] as number;
  return id < 0 ? null : (column.values[id] as string);
}
