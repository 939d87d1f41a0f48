import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';

/**
 * The smallest SIP user agent the telephony bench needs, over UDP on
 * loopback: phones that register and answer, callers that dial, ACK and
 * hang up. sipp is not in Debian's default set and baresip is one process
 * per party (too heavy for 200 calls and 20 phones), so the bench speaks
 * just these few messages itself. Not a general SIP stack: no
 * authentication, no retransmission (loopback does not lose datagrams).
 */

interface Message {
  firstLine: string;
  headers: Array<[string, string]>;
  body: string;
}

const rand = (): string => randomBytes(6).toString('hex');

function parse(text: string): Message {
  const [head, ...rest] = text.split('\r\n\r\n');
  const lines = (head ?? '').split('\r\n');
  const headers = lines.slice(1).map((line): [string, string] => {
    const at = line.indexOf(':');
    return [line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim()];
  });
  return { firstLine: lines[0] ?? '', headers, body: rest.join('\r\n\r\n') };
}

const all = (m: Message, name: string): string[] => m.headers.filter(([n]) => n === name).map(([, v]) => v);
const one = (m: Message, name: string): string => all(m, name)[0] ?? '';

function build(firstLine: string, headers: Array<[string, string]>, body = ''): Buffer {
  const lines = [firstLine, ...headers.map(([n, v]) => `${n}: ${v}`), `Content-Length: ${Buffer.byteLength(body)}`, '', body];
  return Buffer.from(lines.join('\r\n'));
}

function sdp(port: number): string {
  return ['v=0', `o=- ${Date.now()} 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');
}

function uriOf(header: string): string {
  const angle = /<([^>]+)>/.exec(header);
  return angle ? angle[1]! : header.split(';')[0]!;
}

function userOf(header: string): string {
  return /sips?:([^@;>]+)@/.exec(header)?.[1] ?? '';
}

async function bound(): Promise<{ socket: Socket; port: number }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, port: socket.address().port };
}

/** A phone that registers and answers every call (180 at once, 200 after `answerDelayMs`). */
export class BenchPhone {
  /** Caller user -> when the INVITE reached this phone (performance.now()). */
  readonly rang = new Map<string, number>();
  private constructor(readonly user: string, private readonly socket: Socket, private readonly port: number, private readonly proxyPort: number, private readonly answerDelayMs: number) {
    socket.on('message', (data) => this.receive(parse(data.toString('utf8'))));
  }

  static async start(user: string, proxyPort: number, answerDelayMs = 0): Promise<BenchPhone> {
    const { socket, port } = await bound();
    return new BenchPhone(user, socket, port, proxyPort, answerDelayMs);
  }

  /** REGISTER, resolved on the 200 OK. */
  register(): Promise<void> {
    const aor = `sip:${this.user}@127.0.0.1:${this.proxyPort}`;
    const callId = rand();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.user}: no answer to REGISTER`)), 5_000);
      const onMessage = (data: Buffer): void => {
        const m = parse(data.toString('utf8'));
        if (one(m, 'call-id') === callId && m.firstLine.startsWith('SIP/2.0 200')) {
          clearTimeout(timer);
          this.socket.off('message', onMessage);
          resolve();
        }
      };
      this.socket.on('message', onMessage);
      this.send(build(`REGISTER sip:127.0.0.1:${this.proxyPort} SIP/2.0`, [
        ['Via', `SIP/2.0/UDP 127.0.0.1:${this.port};branch=z9hG4bK${rand()};rport`], ['Max-Forwards', '70'],
        ['From', `<${aor}>;tag=${rand()}`], ['To', `<${aor}>`], ['Call-ID', callId], ['CSeq', '1 REGISTER'],
        ['Contact', `<sip:${this.user}@127.0.0.1:${this.port}>`], ['Expires', '3600'],
      ]));
    });
  }

  close(): void {
    this.socket.close();
  }

  private receive(m: Message): void {
    if (m.firstLine.startsWith('INVITE ')) {
      const caller = userOf(one(m, 'from'));
      if (!this.rang.has(caller)) this.rang.set(caller, performance.now());
      const tag = rand();
      this.reply(m, '180 Ringing', tag);
      setTimeout(() => this.reply(m, '200 OK', tag, sdp(this.port + 1)), this.answerDelayMs);
    } else if (m.firstLine.startsWith('BYE ')) {
      this.reply(m, '200 OK', null);
    }
  }

  private reply(request: Message, status: string, tag: string | null, body = ''): void {
    const to = one(request, 'to');
    const headers: Array<[string, string]> = [
      ...all(request, 'via').map((v): [string, string] => ['Via', v]),
      ...all(request, 'record-route').map((v): [string, string] => ['Record-Route', v]),
      ['From', one(request, 'from')], ['To', tag && !to.includes('tag=') ? `${to};tag=${tag}` : to],
      ['Call-ID', one(request, 'call-id')], ['CSeq', one(request, 'cseq')],
      ['Contact', `<sip:${this.user}@127.0.0.1:${this.port}>`],
      ...(body ? [['Content-Type', 'application/sdp'] as [string, string]] : []),
    ];
    this.send(build(`SIP/2.0 ${status}`, headers, body));
  }

  private send(data: Buffer): void {
    this.socket.send(data, this.proxyPort, '127.0.0.1');
  }
}

interface OutgoingCall {
  callId: string;
  user: string;
  fromTag: string;
  connected: (at: number) => void;
  failed: (status: string) => void;
  dialog: { routes: string[]; remote: string; toHeader: string } | null;
}

/** Callers, all on one socket: dial the queue, ACK the answer, hang up. */
export class BenchCallers {
  private readonly calls = new Map<string, OutgoingCall>();
  private constructor(private readonly socket: Socket, private readonly port: number, private readonly proxyPort: number) {
    socket.on('message', (data) => this.receive(parse(data.toString('utf8'))));
  }

  static async start(proxyPort: number): Promise<BenchCallers> {
    const { socket, port } = await bound();
    return new BenchCallers(socket, port, proxyPort);
  }

  /** Dials the queue number as `user`; resolves when answered (rejects on a final failure or after `timeoutMs`). */
  dial(user: string, queue = '7000', timeoutMs = 60_000): { answered: Promise<number>; hangUp(): void } {
    const callId = `${rand()}@bench`;
    const fromTag = rand();
    let call!: OutgoingCall;
    const answered = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${user}: not answered in ${timeoutMs} ms`)), timeoutMs);
      call = { callId, user, fromTag, dialog: null, connected: (at) => { clearTimeout(timer); resolve(at); }, failed: (status) => { clearTimeout(timer); reject(new Error(`${user}: ${status}`)); } };
    });
    this.calls.set(callId, call);
    const body = sdp(this.port + 1);
    this.send(build(`INVITE sip:${queue}@127.0.0.1:${this.proxyPort} SIP/2.0`, [
      ['Via', `SIP/2.0/UDP 127.0.0.1:${this.port};branch=z9hG4bK${rand()};rport`], ['Max-Forwards', '70'],
      ['From', `<sip:${user}@127.0.0.1>;tag=${fromTag}`], ['To', `<sip:${queue}@127.0.0.1:${this.proxyPort}>`],
      ['Call-ID', callId], ['CSeq', '1 INVITE'], ['Contact', `<sip:${user}@127.0.0.1:${this.port}>`], ['Content-Type', 'application/sdp'],
    ], body));
    return { answered, hangUp: () => this.bye(call) };
  }

  close(): void {
    this.socket.close();
  }

  private receive(m: Message): void {
    const call = this.calls.get(one(m, 'call-id'));
    if (!call) return;
    if (m.firstLine.startsWith('BYE ')) {
      this.send(build('SIP/2.0 200 OK', [...all(m, 'via').map((v): [string, string] => ['Via', v]), ['From', one(m, 'from')], ['To', one(m, 'to')], ['Call-ID', call.callId], ['CSeq', one(m, 'cseq')]]));
      this.calls.delete(call.callId);
      return;
    }
    const status = Number(m.firstLine.split(' ')[1]);
    if (!one(m, 'cseq').endsWith('INVITE') || status < 200) return;
    if (status >= 300) {
      // A final failure still takes an ACK (hop by hop) before the call is given up.
      this.send(build(`ACK sip:7000@127.0.0.1:${this.proxyPort} SIP/2.0`, [['Via', all(m, 'via')[0] ?? ''], ['Max-Forwards', '70'], ['From', one(m, 'from')], ['To', one(m, 'to')], ['Call-ID', call.callId], ['CSeq', '1 ACK']]));
      this.calls.delete(call.callId);
      call.failed(m.firstLine);
      return;
    }
    if (call.dialog) return; // a repeat of the 200
    // The route set of the caller's side is the Record-Route list reversed.
    call.dialog = { routes: all(m, 'record-route').flatMap((v) => v.split(',')).map((v) => v.trim()).reverse(), remote: uriOf(one(m, 'contact')), toHeader: one(m, 'to') };
    this.inDialog(call, 'ACK', 1);
    call.connected(performance.now());
  }

  private bye(call: OutgoingCall): void {
    if (!call.dialog) return;
    this.inDialog(call, 'BYE', 2);
  }

  private inDialog(call: OutgoingCall, method: 'ACK' | 'BYE', cseq: number): void {
    const dialog = call.dialog!;
    this.send(build(`${method} ${dialog.remote} SIP/2.0`, [
      ['Via', `SIP/2.0/UDP 127.0.0.1:${this.port};branch=z9hG4bK${rand()};rport`], ['Max-Forwards', '70'],
      ...dialog.routes.map((r): [string, string] => ['Route', r]),
      ['From', `<sip:${call.user}@127.0.0.1>;tag=${call.fromTag}`], ['To', dialog.toHeader], ['Call-ID', call.callId], ['CSeq', `${cseq} ${method}`],
    ]));
  }

  private send(data: Buffer): void {
    this.socket.send(data, this.proxyPort, '127.0.0.1');
  }
}
