import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join, resolve } from 'node:path';
import { DEMO_TELEPHONY_KEY } from '../../src-server/config';
import { freePort } from './server-process';
import { makeTempDir } from './temp-dir';

const ROOT = resolve(import.meta.dirname, '../..');
export const KAMAILIO_CFG = join(ROOT, 'resources/telephony/kamailio.cfg');
const KAMAILIO = '/usr/sbin/kamailio';
const BARESIP = '/usr/bin/baresip';

const KAMAILIO_MODULES = ['http_client', 'jansson', 'xhttp', 'uuid'].map((m) => `/usr/lib/x86_64-linux-gnu/kamailio/modules/${m}.so`);

/** Why the SIP tests cannot run here (the binaries or Kamailio's modules are missing), or null when they can. */
export function sipBinariesMissing(): string | null {
  const missing = [KAMAILIO, BARESIP, ...KAMAILIO_MODULES].filter((bin) => !existsSync(bin));
  return missing.length > 0 ? `SIP end-to-end tests skipped: ${missing.join(' and ')} not installed (apt-get install kamailio kamailio-extra-modules kamailio-utils-modules baresip)` : null;
}

/** Free UDP port on loopback (the SIP ports). */
export async function freeUdpPort(): Promise<number> {
  const { createSocket } = await import('node:dgram');
  return new Promise((resolvePort, reject) => {
    const probe = createSocket('udp4');
    probe.once('error', reject);
    probe.bind(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

export interface KamailioOptions {
  /** How long an agent's phone rings before Kamailio gives up on it. */
  ringMs?: number;
  /** The routing server's port, where Kamailio POSTs call events (the server is started on it afterwards). */
  holdfastPort: number;
  /** The routing server's telephony key (the demo key unless the test sets another). */
  key?: string;
}

/** Kamailio running resources/telephony/kamailio.cfg as it stands, on loopback ports of its own. */
export class KamailioProcess {
  private child: ChildProcess | null = null;
  readonly log: string[] = [];

  private constructor(readonly sipPort: number, readonly httpPort: number, private readonly options: Required<KamailioOptions>) {}

  static async start(options: KamailioOptions): Promise<KamailioProcess> {
    const k = new KamailioProcess(await freeUdpPort(), await freePort(), { ringMs: 4_000, key: DEMO_TELEPHONY_KEY, ...options });
    await k.start();
    return k;
  }

  /** Kamailio's xhttp, where Holdfast POSTs its decisions (HOLDFAST_SIP_KAMAILIO_URL). */
  get url(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  get sipUri(): string {
    return `127.0.0.1:${this.sipPort}`;
  }

  async start(): Promise<void> {
    const child = spawn(KAMAILIO, ['-DD', '-E', '-f', KAMAILIO_CFG,
      '-A', `HF_LISTEN=udp:127.0.0.1:${this.sipPort}`, '-A', `HF_HTTP=tcp:127.0.0.1:${this.httpPort}`,
      '-A', `HF_EVENTS_URL="http://127.0.0.1:${this.options.holdfastPort}/api/telephony/sip/events"`,
      '-A', `HF_RING_MS=${this.options.ringMs}`, '-A', 'HF_CHILDREN=2'],
    // Its own process group, so a crash (kill) can take the workers with it.
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true, env: { ...process.env, HOLDFAST_TELEPHONY_KEY: this.options.key } });
    this.child = child;
    const keep = (chunk: Buffer): void => {
      this.log.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (this.log.length > 2000) this.log.splice(0, this.log.length - 2000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // Up when its health answers.
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`kamailio exited (${child.exitCode}): ${this.log.slice(-10).join('\n')}`);
      if (await this.healthy()) return;
      if (Date.now() > deadline) throw new Error(`kamailio did not come up: ${this.log.slice(-10).join('\n')}`);
      await sleep(100);
    }
  }

  private async healthy(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/holdfast/health`, { headers: { authorization: `Bearer ${this.options.key}` }, signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }

  /** kill -9 of the whole process group: as a crash, nothing flushed. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    // The whole group at once: killed one by one, the workers would outlive the main process and keep its ports.
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    await sleep(200);
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(5_000)]);
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // the group is gone already
    }
  }
}

export interface UaEvent {
  type: string;
  peeruri?: string;
  direction?: string;
  param?: string;
  at: number;
}

/**
 * A baresip user agent, driven over its ctrl_tcp socket (netstring JSON):
 * an agent's phone (registered; answers by itself, never, or refuses) or a
 * caller. No sound device: the voice is a silent WAV file, sound out goes to /dev/null.
 */
export class BaresipUa {
  readonly events: UaEvent[] = [];
  readonly output: string[] = [];
  private child: ChildProcess | null = null;
  private ctrl: Socket | null = null;
  private buffer = Buffer.alloc(0);
  private readonly dir = makeTempDir('baresip');

  private constructor(
    readonly user: string, private readonly kamailio: KamailioProcess, private readonly mode: 'auto' | 'never' | 'refuse' | 'caller',
    private readonly ctrlPort: number, private readonly regint: number,
  ) {}

  /** regint: seconds between registrations (a phone's refresh; short when a test restarts Kamailio). */
  static async start(user: string, kamailio: KamailioProcess, mode: 'auto' | 'never' | 'refuse' | 'caller', options: { regint?: number } = {}): Promise<BaresipUa> {
    const ua = new BaresipUa(user, kamailio, mode, await freePort(), options.regint ?? 600);
    await ua.launch();
    return ua;
  }

  private async launch(): Promise<void> {
    const rtp = 20_000 + Math.floor(Math.random() * 20_000);
    // The phone's voice: a minute of silence at 8 kHz (the codec's own rate, so nothing needs resampling).
    const wav = join(this.dir.path, 'voice.wav');
    writeFileSync(wav, silentWav(8_000, 60));
    writeFileSync(join(this.dir.path, 'config'), [
      'poll_method epoll', 'sip_listen 127.0.0.1:0', 'sip_transports udp',
      'audio_player aufile,/dev/null', `audio_source aufile,${wav}`, 'audio_alert aufile,/dev/null',
      'module_path /usr/lib/baresip/modules', 'module g711.so', 'module aufile.so',
      'module_app account.so', 'module_app menu.so', 'module_app ctrl_tcp.so', `ctrl_tcp_listen 127.0.0.1:${this.ctrlPort}`,
      `rtp_ports ${rtp}-${rtp + 40}`, '',
    ].join('\n'));
    const proxy = `sip:${this.kamailio.sipUri}`;
    const register = this.mode === 'caller' ? 'regint=0' : `regint=${this.regint}`;
    const answer = this.mode === 'auto' ? 'answermode=auto' : 'answermode=manual';
    writeFileSync(join(this.dir.path, 'accounts'), `<sip:${this.user}@${this.kamailio.sipUri}>;${register};${answer};outbound="${proxy}"\n`);
    writeFileSync(join(this.dir.path, 'contacts'), '');
    const child = spawn(BARESIP, ['-f', this.dir.path], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    const keep = (chunk: Buffer): void => {
      // The audio meter rewrites its line many times a second: those are not kept.
      const lines = chunk.toString('utf8').split('\n').filter((line) => line.trim() && !line.includes('audio='));
      this.output.push(...lines);
      if (this.output.length > 500) this.output.splice(0, this.output.length - 500);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const deadline = Date.now() + 10_000;
    while (!(await canConnect(this.ctrlPort))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`baresip ${this.user} did not start: ${this.output.slice(-5).join(' | ')}`);
      await sleep(50);
    }
    await this.openCtrl();
    if (this.mode !== 'caller') await this.registered();
  }

  /** Waits for (another) successful registration with Kamailio. */
  async registered(timeoutMs = 10_000): Promise<void> {
    // The first registration may be over before the control socket is open: baresip prints it too.
    const deadline = Date.now() + timeoutMs;
    while (!this.output.some((line) => line.includes(`${this.user}@`) && line.includes('200 OK')) && this.count('REGISTER_OK') === 0) {
      if (Date.now() > deadline) throw new Error(`baresip ${this.user} did not register: ${this.output.slice(-5).join(' | ')}`);
      await sleep(20);
    }
  }


  dial(target: string): Promise<void> {
    return this.command('dial', target);
  }

  hangup(): Promise<void> {
    return this.command('hangup', '');
  }

  /** Blind transfer of the current call (baresip's menu command: an in-dialog REFER with this Refer-To). */
  transfer(target: string): Promise<void> {
    return this.command('transfer', target);
  }

  /** Events of this type seen so far. */
  count(type: string): number {
    return this.events.filter((e) => e.type === type).length;
  }

  async waitFor(test: (e: UaEvent) => boolean, timeoutMs = 10_000, skip = 0): Promise<UaEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.filter(test)[skip];
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`baresip ${this.user}: timed out waiting; events ${JSON.stringify(this.events.map((e) => e.type))}`);
      await sleep(20);
    }
  }

  async stop(): Promise<void> {
    this.ctrl?.destroy();
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    this.dir.remove();
  }

  private async openCtrl(): Promise<void> {
    const socket = connect({ host: '127.0.0.1', port: this.ctrlPort });
    await new Promise<void>((resolveOpen, reject) => {
      socket.once('connect', () => resolveOpen());
      socket.once('error', reject);
    });
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.ctrl = socket;
  }

  private command(command: string, params: string): Promise<void> {
    const body = Buffer.from(JSON.stringify({ command, params, token: `${Date.now()}` }));
    this.ctrl?.write(Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]));
    return Promise.resolve();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString('ascii'));
      const end = colon + 1 + length;
      if (this.buffer.length < end + 1) return;
      const text = this.buffer.subarray(colon + 1, end).toString('utf8');
      this.buffer = this.buffer.subarray(end + 1);
      let message: { event?: boolean; type?: string; peeruri?: string; direction?: string; param?: string };
      try {
        message = JSON.parse(text) as typeof message;
      } catch {
        continue;
      }
      if (!message.event || !message.type) continue;
      this.events.push({ type: message.type, peeruri: message.peeruri, direction: message.direction, param: message.param, at: performance.now() });
      if (message.type === 'CALL_INCOMING' && this.mode === 'refuse') void this.command('hangup', '');
    }
  }
}

/** A mono 16-bit PCM WAV of silence. */
function silentWav(rate: number, seconds: number): Buffer {
  const data = rate * seconds * 2;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data, 40);
  return Buffer.concat([header, Buffer.alloc(data)]);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolveConnect) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolveConnect(true);
    });
    socket.once('error', () => resolveConnect(false));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
