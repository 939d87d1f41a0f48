/**
 * The routing server's address: one URL (a single server, or a cluster's load
 * balancer), or several comma-separated URLs, the nodes of a routing cluster
 * without a load balancer. The desktop uses one at a time and moves to the
 * next when it cannot reach it; any node serves everything (cluster nodes
 * forward what needs the routing node), so it does not matter which.
 */
export class ServerUrls {
  readonly all: readonly string[];
  private index = 0;

  constructor(value: string) {
    this.all = splitServerUrls(value);
    if (this.all.length === 0) throw new Error('No routing server URL given');
  }

  current(): string {
    return this.all[this.index]!;
  }

  /** The next URL, round the list (the same one when there is only one). */
  next(): string {
    this.index = (this.index + 1) % this.all.length;
    return this.current();
  }
}

export function splitServerUrls(value: string): string[] {
  return value.split(',').map((part) => part.trim()).filter((part) => part.length > 0);
}
