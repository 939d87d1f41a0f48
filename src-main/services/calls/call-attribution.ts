/**
 * Which call a customer's model calls belong to, for the AI audit log: the
 * AI client only knows the customer, the desk knows the call on screen.
 */
export class CallAttribution {
  private readonly lastCallByCustomer = new Map<string, string>();

  constructor(private readonly limit = 200) {}

  remember(customerId: string, callId: string): void {
    this.lastCallByCustomer.delete(customerId);
    this.lastCallByCustomer.set(customerId, callId);
    if (this.lastCallByCustomer.size > this.limit) this.lastCallByCustomer.delete(this.lastCallByCustomer.keys().next().value as string);
  }

  callFor(customerId: string | null): string | null {
    return customerId ? this.lastCallByCustomer.get(customerId) ?? null : null;
  }
}
