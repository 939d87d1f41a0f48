import { HybridLogicalClock } from '@shared/sync/hlc';
import type { LocalCache } from '../cache/local-cache';

/**
 * The desktop's hybrid logical clock. Before each stamp it folds in the
 * latest stamp the cache has seen (the server's, on every profile it sent,
 * and this clock's own last edit), so an agent's correction made after a
 * server edit always wins over it even when the server's clock runs ahead,
 * and a restart, or a laptop clock set back, cannot stamp backwards.
 */
export class DesktopClock extends HybridLogicalClock {
  constructor(private readonly cache: LocalCache, node: string, now?: () => number) {
    super(node, now);
  }

  override tick(): string {
    const seen = this.cache.meta.clockHighWater();
    if (seen) this.receive(seen);
    return super.tick();
  }
}
