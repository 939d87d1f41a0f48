import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { RowEvent } from './rows';

function asObject(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

/** Streams newline-delimited JSON: one object per line; a bad line is an error event, the rest still come. */
export async function* readNdjson(path: string): AsyncGenerator<RowEvent> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim().length === 0) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      yield { kind: 'error', error: { file: path, line, column: null, reason: `invalid JSON: ${(error as Error).message}` } };
      continue;
    }
    const values = asObject(parsed);
    if (values === null) {
      yield { kind: 'error', error: { file: path, line, column: null, reason: 'line is not a JSON object' } };
      continue;
    }
    yield { kind: 'row', row: { line, values } };
  }
}

/**
 * Streams a JSON file holding one array of objects without loading it whole.
 * Why hand-written: a splitter that tracks depth and strings is ~40 lines,
 * and it keeps the line where each element starts for error messages, which
 * general streaming JSON packages do not report.
 */
export async function* readJsonArray(path: string): AsyncGenerator<RowEvent> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let started = false;
  let line = 1;
  let elementLine = 0;
  let element: string[] = [];
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = chunk as string;
    // An element still open from the previous chunk continues at this chunk's start.
    let elementStart = depth >= 2 ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      if (ch === '\n') line++;
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
        continue;
      }
      if (ch === '"') {
        if (depth === 1) {
          yield { kind: 'error', error: { file: path, line, column: null, reason: 'array element is not an object' } };
        }
        inString = true;
        continue;
      }
      if (ch === '[' || ch === '{') {
        if (!started) {
          if (ch !== '[') throw new Error(`${path}: a JSON file must hold an array of records (use .ndjson for one object per line)`);
          started = true;
          depth = 1;
          continue;
        }
        if (depth === 1) {
          if (ch === '[') yield { kind: 'error', error: { file: path, line, column: null, reason: 'array element is not an object' } };
          elementStart = i;
          elementLine = line;
          element = [];
        }
        depth++;
        continue;
      }
      if (ch === ']' || ch === '}') {
        depth--;
        if (depth === 1) {
          element.push(text.slice(elementStart, i + 1));
          const source = element.join('');
          element = [];
          elementStart = -1;
          let parsed: unknown;
          try {
            parsed = JSON.parse(source);
          } catch (error) {
            yield { kind: 'error', error: { file: path, line: elementLine, column: null, reason: `invalid JSON: ${(error as Error).message}` } };
            continue;
          }
          const values = asObject(parsed);
          if (values === null) yield { kind: 'error', error: { file: path, line: elementLine, column: null, reason: 'array element is not an object' } };
          else yield { kind: 'row', row: { line: elementLine, values } };
        }
        continue;
      }
    }
    if (depth >= 2 && elementStart >= 0) element.push(text.slice(elementStart));
  }
  if (!started) throw new Error(`${path}: empty file or not a JSON array`);
  if (depth !== 0) {
    yield { kind: 'error', error: { file: path, line, column: null, reason: 'file ends inside a record (truncated JSON)' } };
  }
}
