import type { BriefEvent, BriefResult } from './ai-types';

/** Events of one brief, replayed to every subscriber (prefetch and display share one run). */
export class BriefRun {
  private readonly events: BriefEvent[] = [];
  private waiters: (() => void)[] = [];
  private finished = false;
  readonly result: Promise<BriefResult>;
  private resolveResult!: (r: BriefResult) => void;

  constructor() {
    this.result = new Promise((resolve) => (this.resolveResult = resolve));
  }

  emit(event: BriefEvent): void {
    if (this.finished) return;
    this.events.push(event);
    if (event.type === 'done') {
      this.finished = true;
      this.resolveResult(event.result);
    }
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  async *subscribe(): AsyncGenerator<BriefEvent> {
    let index = 0;
    for (;;) {
      while (index < this.events.length) {
        const event = this.events[index++] as BriefEvent;
        yield event;
        if (event.type === 'done') return;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}
