import { describe, expect, it } from 'vitest';
import {
  buildCohort,
  detectDelimiter,
  evaluateHoldout,
  formatDay,
  parseDay,
  parseTransactions,
  splitLine,
  TransactionTableError,
} from '@shared/value/index';

const COLUMNS = { customerCol: 'customer', dateCol: 'date', amountCol: 'amount' };

describe('parseDay', () => {
  it('reads YYYYMMDD and ISO dates, ignoring a time part', () => {
    expect(formatDay(parseDay('19970101') as number)).toBe('1997-01-01');
    expect(formatDay(parseDay('1997-09-30') as number)).toBe('1997-09-30');
    expect(formatDay(parseDay('1997-9-3') as number)).toBe('1997-09-03');
    expect(formatDay(parseDay('2024-02-29T13:45:00Z') as number)).toBe('2024-02-29');
    expect((parseDay('1997-01-08') as number) - (parseDay('19970101') as number)).toBe(7);
  });

  it('rejects impossible or malformed dates', () => {
    for (const text of ['19970231', '2023-02-29', '1997-13-01', 'yesterday', '', '970101']) expect(parseDay(text)).toBeNull();
  });
});

describe('splitting lines', () => {
  it('detects the delimiter from the first line', () => {
    expect(detectDelimiter('a\tb\tc')).toBe('tab');
    expect(detectDelimiter('a,b,c')).toBe('comma');
    expect(detectDelimiter(' a  b   c')).toBe('whitespace');
  });

  it('honours double quotes in comma-separated lines', () => {
    expect(splitLine('"Smith, J",2024-01-01,"1,5"', 'comma')).toEqual(['Smith, J', '2024-01-01', '1,5']);
    expect(splitLine('"say ""hi""",x', 'comma')).toEqual(['say "hi"', 'x']);
    expect(splitLine('  a   b  c ', 'whitespace')).toEqual(['a', 'b', 'c']);
  });
});

describe('parseTransactions', () => {
  const expected = [
    { customerId: 'c1', day: parseDay('2024-01-01'), amount: 10 },
    { customerId: 'c2', day: parseDay('2024-01-02'), amount: 5.5 },
  ];

  it('reads comma, tab and whitespace files with a header, in any column order', () => {
    const comma = 'amount,customer,date\n10,c1,2024-01-01\n5.5,c2,20240102\n';
    const tab = 'customer\tdate\tamount\nc1\t2024-01-01\t10\nc2\t2024-01-02\t5.5\n';
    const space = ' customer  date  amount\n c1 20240101   10\n c2 20240102  5.5\n';
    for (const [text, delimiter] of [[comma, 'comma'], [tab, 'tab'], [space, 'whitespace']] as const) {
      const parsed = parseTransactions(text, COLUMNS);
      expect(parsed.delimiter).toBe(delimiter);
      expect(parsed.transactions).toEqual(expected);
      expect(parsed.badRows).toEqual([]);
    }
  });

  it('reads a file without a header when the columns are named', () => {
    const text = '00001 0001 20240101 2 10\r\n00002 0002 20240102 1 5.5\r\n';
    const parsed = parseTransactions(text, { ...COLUMNS, customerCol: 'id', columns: ['id', 'sid', 'date', 'qty', 'amount'] });
    expect(parsed.transactions.map((t) => t.customerId)).toEqual(['00001', '00002']);
    expect(parsed.transactions.map((t) => t.amount)).toEqual([10, 5.5]);
  });

  it('matches column names case-insensitively when there is no exact match', () => {
    const parsed = parseTransactions('Customer,Date,Amount\nc1,2024-01-01,10\n', COLUMNS);
    expect(parsed.transactions).toHaveLength(1);
  });

  it('skips bad rows and reports their line numbers', () => {
    const text = [
      'customer,date,amount',
      'c1,2024-01-01,10',
      'c1,2024-02-30,10',
      'c1,2024-03-01,ten',
      '',
      'c2,2024-03-01',
      ',2024-03-01,4',
      'c2,2024-03-02,4',
    ].join('\n');
    const parsed = parseTransactions(text, COLUMNS);
    expect(parsed.transactions).toHaveLength(2);
    expect(parsed.badRows.map((b) => b.line)).toEqual([3, 4, 6, 7]);
    expect(parsed.badRows[0]?.reason).toMatch(/date "2024-02-30"/);
    expect(parsed.badRows[1]?.reason).toMatch(/amount "ten"/);
    expect(parsed.badRows[2]?.reason).toMatch(/fields/);
    expect(parsed.badRows[3]?.reason).toMatch(/customer id/);
  });

  it('names the available columns when a column is wrong', () => {
    expect(() => parseTransactions('customer,day,amount\nc1,2024-01-01,1\n', COLUMNS)).toThrow(TransactionTableError);
    expect(() => parseTransactions('customer,day,amount\nc1,2024-01-01,1\n', COLUMNS)).toThrow(
      /--date-col "date" is not a column.*"customer", "day", "amount"/,
    );
    expect(() => parseTransactions('\n\n', COLUMNS)).toThrow(/empty/);
  });
});

describe('buildCohort', () => {
  const rows = [
    // c1: first 2024-01-01, two purchases on 01-15 (merged), one on 02-12, one in holdout.
    ['c1', '2024-01-01', 10],
    ['c1', '2024-01-15', 4],
    ['c1', '2024-01-15', 6],
    ['c1', '2024-02-12', 20],
    ['c1', '2024-03-20', 8],
    // c2: one purchase only.
    ['c2', '2024-02-26', 7],
    // c3: first purchase after the calibration end: not in the cohort.
    ['c3', '2024-03-10', 9],
    // c1 again after the holdout end: ignored.
    ['c1', '2024-06-01', 99],
  ] as const;
  const transactions = rows.map(([customerId, date, amount]) => ({ customerId, day: parseDay(date) as number, amount }));
  const cohort = buildCohort(transactions, { calibrationEndDay: parseDay('2024-03-04') as number, holdoutEndDay: parseDay('2024-04-30') as number });
  const byId = new Map(cohort.map((c) => [c.customerId, c]));

  it('keeps customers whose first purchase is on or before the calibration end', () => {
    expect([...byId.keys()].sort()).toEqual(['c1', 'c2']);
  });

  it('counts repeat purchase days in weeks, merging same-day purchases', () => {
    const c1 = byId.get('c1');
    expect(c1).toMatchObject({ x: 2, tx: 6, holdoutTransactions: 1, holdoutValue: 8 });
    expect(c1?.T).toBeCloseTo(63 / 7, 12);
    expect(c1?.meanRepeatValue).toBe(15); // (10 merged + 20) / 2
    expect(c1?.meanValue).toBeCloseTo(40 / 3, 12);
    expect(c1?.purchaseWeeks).toEqual([0, 2, 6]);
    expect(byId.get('c2')).toMatchObject({ x: 0, tx: 0, T: 1, meanRepeatValue: null, holdoutTransactions: 0 });
  });
});

describe('evaluateHoldout', () => {
  it('aggregates by calibration frequency and per customer', () => {
    const report = evaluateHoldout([
      { x: 0, predicted: 0.5, actual: 0 },
      { x: 0, predicted: 0.5, actual: 1 },
      { x: 3, predicted: 2, actual: 2 },
      { x: 9, predicted: 5, actual: 7 },
    ]);
    expect(report.sumPredicted).toBe(8);
    expect(report.sumActual).toBe(10);
    expect(report.mae).toBeCloseTo((0.5 + 0.5 + 0 + 2) / 4, 12);
    expect(report.rmse).toBeCloseTo(Math.sqrt((0.25 + 0.25 + 4) / 4), 12);
    expect(report.correlation).toBeGreaterThan(0.9);
    expect(report.byFrequency).toHaveLength(8);
    expect(report.byFrequency[0]).toEqual({ x: '0', customers: 2, meanActual: 0.5, meanPredicted: 0.5 });
    expect(report.byFrequency[7]).toEqual({ x: '7+', customers: 1, meanActual: 7, meanPredicted: 5 });
  });
});
