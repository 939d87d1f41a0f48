import type { ServerStore } from '../store/server-store';
import { IdentityService } from './identity-service';
import type { IdentityServiceOptions } from './identity-service';

/**
 * One identity service per open store: seeding, the HTTP routes and the
 * ring-time caller lookup all reach the same caller index through the store
 * they share, without threading the service through every constructor.
 * Options given on any call (the server passes its configured region before
 * seeding, and the change-feed hook once sockets exist) apply from then on.
 */
const services = new WeakMap<ServerStore, IdentityService>();

export function identityServiceFor(store: ServerStore, options: Partial<IdentityServiceOptions> = {}): IdentityService {
  let service = services.get(store);
  if (service === undefined) {
    service = new IdentityService(store, { defaultRegion: 'US', ...options });
    services.set(store, service);
  } else if (Object.keys(options).length > 0) {
    service.configure(options);
  }
  return service;
}
