import { z } from 'zod';

/**
 * Parser for the "Anonymous Bank" call-center log (Technion SEE, 1999):
 * tab-separated, CRLF, one header row, 17 columns (vru+line, call_id,
 * customer_id, priority, type, date YYMMDD, vru_entry, vru_exit, vru_time,
 * q_start, q_exit, q_time, outcome AGENT/HANG/PHANTOM, ser_start, ser_exit,
 * ser_time, server). Columns are found by header name, so any month's file
 * in this layout works.
 *
 * Which rows become arrivals to the agent queue:
 *  - PHANTOM rows are virtual calls and are skipped;
 *  - HANG with q_start 0:00:00 hung up in the voice menu before reaching the
 *    queue, so they never asked for an agent: skipped;
 *  - everything else arrives at q_start (or vru_exit when it never queued
 *    because an agent was free), on the row's date, a day later when that
 *    time is before vru_entry (the call crossed midnight).
 */
export interface BankCall {
  callId: string;
  customerId: string;
  /** 0 regular, 1-2 priority customers. */
  priority: number;
  /** PS regular, PE English, IN internet, NE stock exchange, NW prospect, TT callback. */
  type: string;
  arrivalMs: number;
  outcome: 'AGENT' | 'HANG';
  /** Whether the caller waited in the queue at all (q_start set). */
  queued: boolean;
  /** Observed seconds in queue (q_time), 0 when not queued. */
  queueWaitS: number;
  /** Observed service seconds for AGENT calls, null for HANG. */
  serviceS: number | null;
}

export interface BankCallsParse {
  calls: BankCall[];
  rows: number;
  skipped: { phantom: number; hungUpBeforeQueue: number; malformed: number };
  /** First few malformed rows, as "line N: problem". */
  problems: string[];
}

const REQUIRED = ['call_id', 'customer_id', 'priority', 'type', 'date', 'vru_entry', 'vru_exit', 'q_start', 'q_time', 'outcome', 'ser_time'] as const;

const clock = z.string().regex(/^\d{1,2}:\d{2}:\d{2}$/, 'expected H:MM:SS');
const count = z.string().regex(/^\d+$/, 'expected a whole number').transform(Number);
const rowSchema = z.object({
  call_id: z.string().min(1),
  customer_id: z.string(),
  priority: count,
  type: z.string().min(1),
  date: z.string().regex(/^\d{6}$/, 'expected YYMMDD'),
  vru_entry: clock,
  vru_exit: clock,
  q_start: clock,
  q_time: count,
  outcome: z.enum(['AGENT', 'HANG', 'PHANTOM']),
  ser_time: count,
});

function seconds(text: string): number {
  const [h, m, s] = text.split(':').map(Number);
  return (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
}

function dayStartMs(yymmdd: string): number {
  const yy = Number(yymmdd.slice(0, 2));
  const year = yy >= 50 ? 1900 + yy : 2000 + yy;
  return Date.UTC(year, Number(yymmdd.slice(2, 4)) - 1, Number(yymmdd.slice(4, 6)));
}

export function parseBankCalls(text: string): BankCallsParse {
  const lines = text.split(/\r\n|\n|\r/);
  const header = (lines[0] ?? '').split('\t').map((h) => h.trim());
  const missing = REQUIRED.filter((name) => !header.includes(name));
  if (missing.length > 0) {
    throw new Error(`not an Anonymous Bank call log: header lacks ${missing.join(', ')} (found: ${header.slice(0, 20).join(', ') || 'nothing'})`);
  }
  const column = Object.fromEntries(REQUIRED.map((name) => [name, header.indexOf(name)])) as Record<(typeof REQUIRED)[number], number>;
  const result: BankCallsParse = { calls: [], rows: 0, skipped: { phantom: 0, hungUpBeforeQueue: 0, malformed: 0 }, problems: [] };

  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    result.rows++;
    const cells = line.split('\t');
    const raw = Object.fromEntries(REQUIRED.map((name) => [name, (cells[column[name]] ?? '').trim()]));
    const parsed = rowSchema.safeParse(raw);
    if (!parsed.success) {
      result.skipped.malformed++;
      if (result.problems.length < 5) {
        const issue = parsed.error.issues[0];
        result.problems.push(`line ${i + 1}: ${String(issue?.path[0] ?? '?')} ${issue?.message ?? 'invalid'}`);
      }
      continue;
    }
    const row = parsed.data;
    if (row.outcome === 'PHANTOM') {
      result.skipped.phantom++;
      continue;
    }
    const queued = seconds(row.q_start) !== 0;
    if (!queued && row.outcome === 'HANG') {
      result.skipped.hungUpBeforeQueue++;
      continue;
    }
    const entry = seconds(row.vru_entry);
    let arrival = queued ? seconds(row.q_start) : seconds(row.vru_exit);
    if (arrival < entry) arrival += 86_400;
    result.calls.push({
      callId: row.call_id,
      customerId: row.customer_id,
      priority: row.priority,
      type: row.type,
      arrivalMs: dayStartMs(row.date) + arrival * 1000,
      outcome: row.outcome,
      queued,
      queueWaitS: queued ? row.q_time : 0,
      serviceS: row.outcome === 'AGENT' ? Math.max(1, row.ser_time) : null,
    });
  }
  result.calls.sort((a, b) => a.arrivalMs - b.arrivalMs);
  return result;
}
