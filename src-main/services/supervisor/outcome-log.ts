import type { OutcomeRecord } from '@shared/domain/wrap-up';

/** Outcomes a supervisor's desk keeps for the save-rate breakdown (the server sends the latest 50 on subscribe, then each new one). */
const OUTCOME_LOG_LIMIT = 5_000;

/** Every outcome this supervisor desk has seen, by id, the oldest dropped past the limit. */
export class OutcomeLog {
  private readonly byId = new Map<string, OutcomeRecord>();

  constructor(private readonly limit = OUTCOME_LOG_LIMIT) {}

  add(outcomes: readonly OutcomeRecord[]): void {
    for (const outcome of outcomes) this.byId.set(outcome.id, outcome);
    if (this.byId.size <= this.limit) return;
    const oldestFirst = [...this.byId.values()].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
    for (const outcome of oldestFirst.slice(0, this.byId.size - this.limit)) this.byId.delete(outcome.id);
  }

  values(): IterableIterator<OutcomeRecord> {
    return this.byId.values();
  }

  clear(): void {
    this.byId.clear();
  }
}
