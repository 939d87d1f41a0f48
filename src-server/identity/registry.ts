import type { ServerStore } from '../store/server-store';
import { IdentityService } from './identity-service';
import type { IdentityServiceOptions } from './identity-service';

/**
 * One identity service per open store: seeding, the HTTP routes and the
 * ring-time caller lookup all reach the same caller index through the store
 * they share, without threading the service through every constructor.
 */
const services = new WeakMap<ServerStore, IdentityService>();

export function identityServiceFor(store: ServerStore, options: Partial<IdentityServiceOptions> = {}): IdentityService {
  let service = services.get(store);
  if (service === undefined) {
    service = new IdentityService(store, { defaultRegion: 'US', ...options });
    services.set(store, service);
  }
  return service;
}
