/**
 * Light desktops for the shift-start bench, many in one process: each runs
 * the desktop's own image sync code (ServerHttpClient's manifest and
 * streamed, hash-checked download; every Nth one also the install into a
 * real encrypted cache, syncFromImage). Driven over stdin/stdout:
 *   argv: serverUrl workDir first count installEvery usernames(comma-separated)
 *   in:  {"cmd":"go"}
 *   out: {"event":"ready"} | {"done":{"index":..,"ms":..,"installed":..}} | {"error":"..."} | {"event":"finished"}
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { LocalCache } from '../../src-main/services/cache/local-cache';
import { ServerHttpClient } from '../../src-main/services/server-link/server-http-client';
import { ImageSyncUnavailableError, syncFromImage } from '../../src-main/services/sync/image-sync';
import { backoffMs } from '../../src-main/services/sync/retry-timer';

const [serverUrl, workDir, firstArg, countArg, installEveryArg, usernamesArg] = process.argv.slice(2);
if (!serverUrl || !workDir || !firstArg || !countArg || !installEveryArg || !usernamesArg) throw new Error('usage: shift-start-client serverUrl workDir first count installEvery usernames');
const root: string = workDir;
const first = Number(firstArg);
const count = Number(countArg);
const installEvery = Number(installEveryArg);
const usernames = usernamesArg.split(',');
const out = (value: unknown): void => void process.stdout.write(`${JSON.stringify(value)}\n`);
// A build of the image under five hundred waiting desktops takes a while on a busy machine.
const http = new ServerHttpClient(serverUrl, 300_000);

/**
 * One sign-in per agent account in this process, before the clock starts; its desktops share the
 * token. The bench measures the sync: a sign-in is a deliberately slow scrypt (N = 2^17) of its own.
 */
const tokens = new Map<string, string>();
async function signIn(): Promise<void> {
  for (const username of usernames) tokens.set(username, (await http.login(username, 'demo')).token);
}

/** As a desktop's cold-sync runner does: a failure on the way is tried again after a capped, jittered backoff. */
async function oneDesktop(index: number): Promise<void> {
  const started = performance.now();
  for (let attempt = 1; ; attempt++) {
    try {
      const installed = await syncOnce(index);
      out({ done: { index, ms: performance.now() - started, installed, attempts: attempt } });
      return;
    } catch (error) {
      if (error instanceof ImageSyncUnavailableError || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffMs(attempt, { baseMs: 1_000, maxMs: 30_000 })));
    }
  }
}

async function syncOnce(index: number): Promise<boolean> {
  const token = tokens.get(usernames[index % usernames.length]!)!;
  const dir = join(root, `desk-${index}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const install = index % installEvery === 0;
  try {
    if (install) {
      const cache = new LocalCache(join(dir, 'cache.db'), randomBytes(32).toString('hex'));
      try {
        await syncFromImage(http, token, cache, () => undefined);
      } finally {
        cache.close();
      }
    } else {
      // The same calls a desktop makes, and the same check, without the local copy.
      const manifest = await http.syncImageManifest(token);
      if (!manifest) throw new Error('the server offers no image');
      const got = await http.downloadSyncImage(token, manifest, join(dir, 'image.sqlite'));
      if (got.sha256 !== (got.hashed === 'zstd' ? manifest.zstd?.sha256 : manifest.sha256)) throw new Error('the image failed its hash check');
    }
    return install;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  await signIn();
  out({ event: 'ready' });
  for await (const line of createInterface({ input: process.stdin })) {
    if ((JSON.parse(line) as { cmd: string }).cmd !== 'go') continue;
    const results = await Promise.allSettled(Array.from({ length: count }, (_, i) => oneDesktop(first + i)));
    const describe = (reason: unknown): string => {
      if (!(reason instanceof Error)) return String(reason);
      const cause = reason.cause instanceof Error ? ` (${(reason.cause as Error & { code?: string }).code ?? ''} ${reason.cause.message})` : '';
      return `${reason.message}${cause}`;
    };
    for (const result of results) if (result.status === 'rejected') out({ error: describe(result.reason) });
    out({ event: 'finished' });
    return;
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  out({ error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
