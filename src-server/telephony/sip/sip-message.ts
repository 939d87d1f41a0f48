/**
 * SIP messages (RFC 3261 section 7), parsed and written: just what
 * Holdfast's outbound calls need (third-party call control, see
 * third-party-call.ts). Written here rather than taken from npm: the one
 * plain SIP stack there (`sip`, kirm/sip.js) is unmaintained (0.0.x, last
 * real work years ago, no types) and the others need a server of their own
 * (drachtio) or speak only SIP over WebSocket (SIP.js); the part needed is a
 * parser and a writer of a few headers.
 */

export type SipHeaders = Array<[string, string]>;

export interface SipRequest {
  kind: 'request';
  method: string;
  uri: string;
  headers: SipHeaders;
  body: string;
}

export interface SipResponse {
  kind: 'response';
  status: number;
  reason: string;
  headers: SipHeaders;
  body: string;
}

export type SipMessage = SipRequest | SipResponse;

export class SipParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SipParseError';
  }
}

/** Compact header names (RFC 3261 section 7.3.3) and their full forms. */
const COMPACT: Record<string, string> = {
  v: 'via', f: 'from', t: 'to', i: 'call-id', m: 'contact', l: 'content-length', c: 'content-type', k: 'supported', s: 'subject', e: 'content-encoding',
};
/** Headers whose value may be a comma-separated list of entries (each kept as its own header here). */
const LISTS = new Set(['via', 'route', 'record-route', 'contact']);
/** Proper-case names for writing. */
const CASED: Record<string, string> = {
  via: 'Via', from: 'From', to: 'To', 'call-id': 'Call-ID', cseq: 'CSeq', contact: 'Contact', route: 'Route', 'record-route': 'Record-Route',
  'max-forwards': 'Max-Forwards', 'content-type': 'Content-Type', 'content-length': 'Content-Length', 'user-agent': 'User-Agent', allow: 'Allow',
};

const MAX_MESSAGE = 65_535;

export function parseSipMessage(data: Buffer | string): SipMessage {
  const raw = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (raw.length > MAX_MESSAGE) throw new SipParseError('message longer than a UDP datagram');
  let split = raw.indexOf('\r\n\r\n');
  let gap = 4;
  if (split < 0) {
    split = raw.indexOf('\n\n');
    gap = 2;
  }
  if (split < 0) throw new SipParseError('no blank line after the headers');
  const head = raw.subarray(0, split).toString('utf8');
  // Header lines folded onto the next line (leading space or tab) are one line.
  const lines = head.split(/\r?\n/).reduce<string[]>((out, line) => {
    if (/^[ \t]/.test(line) && out.length > 1) out[out.length - 1] += ` ${line.trim()}`;
    else out.push(line);
    return out;
  }, []);
  const first = lines[0] ?? '';
  const headers: SipHeaders = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new SipParseError(`a header line without a name: "${line.slice(0, 40)}"`);
    const rawName = line.slice(0, colon).trim().toLowerCase();
    const name = COMPACT[rawName] ?? rawName;
    const value = line.slice(colon + 1).trim();
    if (LISTS.has(name) && value !== '*') for (const entry of splitList(value)) headers.push([name, entry]);
    else headers.push([name, value]);
  }
  const rest = raw.subarray(split + gap);
  const declared = headers.find(([n]) => n === 'content-length')?.[1];
  const length = declared === undefined ? rest.length : Number(declared);
  if (!Number.isInteger(length) || length < 0 || length > rest.length) throw new SipParseError(`Content-Length ${declared ?? ''} does not match the body`);
  const body = rest.subarray(0, length).toString('utf8');

  const status = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(first);
  if (status) return { kind: 'response', status: Number(status[1]), reason: status[2] ?? '', headers, body };
  const request = /^([A-Za-z]+) (\S+) SIP\/2\.0$/.exec(first);
  if (request) return { kind: 'request', method: request[1]!.toUpperCase(), uri: request[2]!, headers, body };
  throw new SipParseError(`not a SIP request or status line: "${first.slice(0, 60)}"`);
}

/** Splits "a, <b,c>, "d,e" <f>" on the commas outside angle brackets and quotes. */
function splitList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '"' && value[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && ch === '<') depth++;
    else if (!quoted && ch === '>') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && ch === ',') {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter(Boolean);
}

export function headerOf(message: SipMessage, name: string): string | undefined {
  return message.headers.find(([n]) => n === name)?.[1];
}

export function headersOf(message: SipMessage, name: string): string[] {
  return message.headers.filter(([n]) => n === name).map(([, v]) => v);
}

/** The URI of a name-addr ("Ava" <sip:ava@pbx>;tag=1) or addr-spec (sip:ava@pbx;tag=1). */
export function uriOf(value: string): string {
  const angle = /<([^>]*)>/.exec(value);
  return angle ? angle[1]! : value.split(';')[0]!.trim();
}

/** A header parameter (outside the URI's angle brackets), e.g. the tag of From/To or the branch of Via. */
export function paramOf(value: string, name: string): string | null {
  const close = value.lastIndexOf('>');
  const params = close >= 0 ? value.slice(close + 1) : value;
  const match = new RegExp(`;\\s*${name}=([^;,\\s]+)`, 'i').exec(params);
  return match ? match[1]! : null;
}

export function cseqOf(message: SipMessage): { seq: number; method: string } {
  const value = headerOf(message, 'cseq') ?? '';
  const match = /^(\d+)\s+([A-Za-z]+)$/.exec(value);
  if (!match) throw new SipParseError(`bad CSeq "${value}"`);
  return { seq: Number(match[1]), method: match[2]!.toUpperCase() };
}

function write(first: string, headers: SipHeaders, body: string): Buffer {
  const lines = [first];
  for (const [name, value] of headers) {
    if (name === 'content-length') continue;
    lines.push(`${CASED[name] ?? name.replace(/(^|-)([a-z])/g, (_, dash: string, ch: string) => dash + ch.toUpperCase())}: ${value}`);
  }
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`, '', body);
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

export function writeRequest(method: string, uri: string, headers: SipHeaders, body = ''): Buffer {
  return write(`${method} ${uri} SIP/2.0`, headers, body);
}

export function writeResponse(status: number, reason: string, headers: SipHeaders, body = ''): Buffer {
  return write(`SIP/2.0 ${status} ${reason}`, headers, body);
}

/**
 * An SDP answer that refuses every stream of `offer` (each m-line's port set
 * to 0, RFC 3264 section 6): what the agent's phone gets in its ACK when the
 * customer's side failed, just before the BYE.
 */
export function refusingAnswer(offer: string): string {
  return offer.split(/\r?\n/).filter(Boolean).map((line) => line.replace(/^m=(\S+) \d+/, 'm=$1 0')).join('\r\n') + '\r\n';
}
