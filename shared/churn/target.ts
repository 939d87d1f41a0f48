import { isMissingValue } from './values';

/**
 * Target labels accepted for "did the customer churn?". Anything else is an
 * error, because guessing which of two unknown labels is the positive class
 * would silently invert the model.
 */
const POSITIVE = new Set(['1', 'yes', 'y', 'true', 't', 'churn', 'churned', 'left', 'lost', 'exited', 'cancelled', 'canceled', 'attrited', 'attrited customer', 'positive', 'pos']);
const NEGATIVE = new Set(['0', 'no', 'n', 'false', 'f', 'retained', 'stayed', 'active', 'existing', 'existing customer', 'remained', 'not churned', 'negative', 'neg', 'current']);

export type TargetValue = 0 | 1 | null;

/** 1, 0, or null when the value is missing. Throws on a label it does not know. */
export function parseTargetValue(value: unknown): TargetValue {
  if (isMissingValue(value)) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') {
    if (value === 1) return 1;
    if (value === 0) return 0;
    throw new TargetError(`target value ${value} is not 0 or 1`);
  }
  // Some exports write "True." / "False." (with a full stop).
  const text = String(value).trim().toLowerCase().replace(/\.$/, '');
  if (POSITIVE.has(text)) return 1;
  if (NEGATIVE.has(text)) return 0;
  if (/^[+-]?\d+(\.0+)?$/.test(text)) {
    const n = Number(text);
    if (n === 1) return 1;
    if (n === 0) return 0;
  }
  throw new TargetError(`target value "${String(value)}" is not a churn label (use yes/no, 1/0, true/false, churned/retained)`);
}

export class TargetError extends Error {
  override name = 'TargetError';
}

export interface ParsedTarget {
  /** Index into the input rows of each labelled row. */
  rowIndex: number[];
  labels: Uint8Array;
  missing: number;
}

/** Labels of every row; rows with a missing target are left out and counted. */
export function parseTargetColumn(rows: readonly Record<string, unknown>[], column: string): ParsedTarget {
  if (rows.length > 0 && !rows.some((row) => Object.hasOwn(row, column))) {
    throw new TargetError(`target column "${column}" is not in the data (columns: ${Object.keys(rows[0] ?? {}).join(', ')})`);
  }
  const rowIndex: number[] = [];
  const labelList: number[] = [];
  let missing = 0;
  for (let i = 0; i < rows.length; i++) {
    let label: TargetValue;
    try {
      label = parseTargetValue((rows[i] as Record<string, unknown>)[column]);
    } catch (error) {
      throw new TargetError(`row ${i + 1}: ${(error as Error).message}`);
    }
    if (label === null) {
      missing++;
      continue;
    }
    rowIndex.push(i);
    labelList.push(label);
  }
  return { rowIndex, labels: Uint8Array.from(labelList), missing };
}
