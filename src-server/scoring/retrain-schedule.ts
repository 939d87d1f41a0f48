import { Cron } from 'croner';
import type { Logger } from 'pino';
import { scoreBook, ScoringError, type ScoreBookStore, type ScoreBookSummary } from './score-book';
import { valueOptions, type ValueConfig } from './value-config';

export interface RetrainScheduleOptions {
  /** A cron pattern (croner: 5 or 6 fields), e.g. "0 3 * * *" for 03:00 every day. */
  pattern: string;
  timezone?: string;
  value: ValueConfig;
  holdoutShare?: number;
  /** Told when a run wrote models and scores, so desktops are nudged along the feed. */
  done(summary: ScoreBookSummary): void;
}

/**
 * Retrains the churn model (champion against challenger, score-book.ts) and
 * refits the value model on a schedule inside the server, so labels from
 * billing's events are learnt from without anyone running `npm run train`.
 * croner keeps the schedule (time zones, DST) and `protect` skips a tick
 * while the previous run is still going.
 */
export class RetrainSchedule {
  private readonly job: Cron;
  private running: Promise<unknown> | null = null;

  constructor(private readonly store: ScoreBookStore, private readonly options: RetrainScheduleOptions, private readonly log: Logger) {
    this.job = new Cron(options.pattern, { protect: true, ...(options.timezone ? { timezone: options.timezone } : {}) }, () => this.runOnce().then(() => undefined));
  }

  /** When the next run is due (null when the pattern has no more). */
  nextRun(): Date | null {
    return this.job.nextRun();
  }

  async runOnce(): Promise<ScoreBookSummary | null> {
    const run = (async () => {
      try {
        const now = new Date();
        const summary = await scoreBook(this.store, {
          asOf: now.toISOString().slice(0, 10), churn: { mode: 'train' }, value: 'fit', ...valueOptions(this.options.value),
          ...(this.options.holdoutShare !== undefined ? { holdoutShare: this.options.holdoutShare } : {}),
          log: (message) => this.log.info({ component: 'retrain' }, message),
        });
        this.log.info({ component: 'retrain', churn: summary.churn.source, model: summary.churn.modelVersion, published: summary.churn.trial?.published ?? null }, 'scheduled retraining done');
        this.options.done(summary);
        return summary;
      } catch (error) {
        this.log.error({ component: 'retrain', err: error }, error instanceof ScoringError ? 'scheduled retraining refused' : 'scheduled retraining failed');
        return null;
      }
    })();
    this.running = run;
    return run;
  }

  async stop(): Promise<void> {
    this.job.stop();
    await this.running;
  }
}
