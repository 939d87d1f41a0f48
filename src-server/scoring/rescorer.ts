import { z } from 'zod';
import type { Change } from '@shared/contract/sync';
import type { DocumentStore } from '../store/roles/document-store';
import type { FeedStore } from '../store/roles/feed-store';
import type { ScoringStore } from '../store/roles/scoring-store';
import { rescoreCustomers, StoredModels } from './rescore';

/**
 * Keeps scores current between trainings by following the change feed: every
 * customer whose profile changed (identity ingest, an edit) or who has a new
 * interaction (a wrap-up, an outreach attempt, an HTTP import) is rescored
 * with the stored models (rescore.ts). Following the feed, rather than being
 * called from each writer, means no writer can forget to ask, and a server
 * restart picks up where it stopped: the feed position read up to is kept in
 * the store. Score changes are not followed, so its own writes never loop.
 */

export const RESCORE_STATE_DOCUMENT = 'rescore:state';
const stateSchema = z.object({ seq: z.int().min(0) });
const PAGE = 2000;
/** Customers rescored per read and write: one store transaction each. */
const BATCH = 500;

export interface RescorerOptions {
  /** How often the feed is looked at besides poke(); 0 turns the timer off (tests call runOnce). */
  intervalMs?: number;
  /**
   * How long a poke waits before the run, so a burst of wrap-ups is one run
   * (and one feed push to the desktops) rather than one each: rescoring in the
   * server's process competes with acknowledging outboxes and pushing the feed.
   */
  pokeDelayMs?: number;
  /** Told after scores were written, so desktops pull them. */
  feedMoved?: (lastSeq: number) => void;
  log?: (message: string) => void;
  now?: () => Date;
}

/** Customers a change is about, when it is one that can move their scores. */
export function customersChangedBy(change: Change): string | null {
  if (change.entity === 'customer') return change.data.id;
  if (change.entity === 'interaction') return change.data.customerId;
  return null;
}

export class Rescorer {
  private watermark: number | null = null;
  private running: Promise<number> = Promise.resolve(0);
  private timer: ReturnType<typeof setInterval> | null = null;
  private pending = false;
  private stopped = false;
  private readonly models: StoredModels;
  private readonly log: (message: string) => void;

  constructor(private readonly store: FeedStore & DocumentStore & ScoringStore, private readonly options: RescorerOptions = {}) {
    this.log = options.log ?? (() => {});
    this.models = new StoredModels(store, (message) => this.log(`rescoring keeps the models it holds: ${message}`));
  }

  /** Starts from the kept feed position, or from now on a store that never had one (its book was just scored in full). */
  async start(): Promise<void> {
    const kept = stateSchema.safeParse(await this.store.document(RESCORE_STATE_DOCUMENT));
    this.watermark = kept.success ? kept.data.seq : await this.store.lastSeq();
    const interval = this.options.intervalMs ?? 1000;
    if (interval > 0) {
      this.timer = setInterval(() => this.poke(), interval);
      this.timer.unref?.();
    }
  }

  /** Asks for a run soon; runs never overlap, and pokes before a run starts fold into it. */
  poke(): void {
    if (this.stopped || this.pending) return;
    this.pending = true;
    const delay = this.options.pokeDelayMs ?? 250;
    const waited = delay > 0 ? new Promise<void>((resolve) => setTimeout(resolve, delay).unref?.()) : Promise.resolve();
    this.running = this.running.then(() => waited).then(() => {
      this.pending = false;
      if (this.stopped) return 0;
      return this.runOnce().catch((error: unknown) => {
        this.log(`rescoring failed: ${error instanceof Error ? error.message : String(error)}`);
        return 0;
      });
    });
  }

  /** Rescores everyone changed since the last run; returns how many scores were written. */
  async runOnce(): Promise<number> {
    if (this.watermark === null) await this.start();
    let position = this.watermark as number;
    const head = await this.store.lastSeq();
    if (head <= position) return 0;
    let written = 0;
    while (position < head && !this.stopped) {
      const page = await this.store.changesAfter(position, PAGE);
      if (page.changes.some((change) => change.entity === 'model')) this.models.invalidate();
      const ids = [...new Set(page.changes.flatMap((change) => customersChangedBy(change) ?? []))];
      for (let start = 0; start < ids.length; start += BATCH) {
        const result = await rescoreCustomers(this.store, ids.slice(start, start + BATCH), this.models, (this.options.now?.() ?? new Date()).toISOString());
        written += result.written;
      }
      if (page.lastSeq <= position) break;
      position = page.lastSeq;
    }
    this.watermark = position;
    await this.store.putDocument(RESCORE_STATE_DOCUMENT, { seq: position });
    if (written > 0) {
      this.log(`rescored ${written} customers after their data changed`);
      this.options.feedMoved?.(await this.store.lastSeq());
    }
    return written;
  }

  /** Stops the timer and waits for a run under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
