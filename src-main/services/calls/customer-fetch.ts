import type { CustomerProfile } from '@shared/domain/customer';
import type { ServerHttpClient } from '../server-link/server-http-client';
import type { Session } from '../session/session';

/**
 * Reads a customer from the server into the cache, outside the desk's cached
 * scope if need be: they are calling, and may call back. Null when the
 * server is away or does not know them.
 */
export async function fetchCustomerIntoCache(session: Session, http: ServerHttpClient, customerId: string): Promise<CustomerProfile | null> {
  const bundle = await http.customer(session.token, customerId).catch(() => null);
  if (!bundle) return null;
  session.cache.feed.applySnapshotPage({ customers: [bundle.customer], scores: bundle.scores ? [bundle.scores] : [], interactions: bundle.interactions }, { keepOutOfScope: true });
  return bundle.customer;
}
