import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { syncImageManifestSchema } from '@shared/contract/sync-image';
import type { Principal } from '../auth/tokens';
import { scopeOfPrincipal, type AgentCustomerScope } from '../routing/customer-scope';
import type { AccountStore } from '../store/roles/account-store';
import { acceptsZstd } from '../sync-image/compress-image';
import type { SyncImageCache } from '../sync-image/image-cache';
import { sendError } from './http-errors';
import { defineRoute } from './route-table';

export interface SyncImageRouteDeps {
  store: Pick<AccountStore, 'accountById'>;
  /** Absent: images are off, and desktops take paged JSON (they see a 404, as from an older server). */
  syncImages?: SyncImageCache;
  agentCustomerScope?: AgentCustomerScope;
}

const imageParamsSchema = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lower-case hex') });

/**
 * The cold-sync image: its manifest (built on demand, once per scope and
 * window), then the file itself by hash. Each is answered for the caller's
 * own scope only, so an agent scoped to some languages can neither learn of
 * nor download the image of the whole book.
 */
export function syncImageRoutes(deps: SyncImageRouteDeps) {
  const scopeOf = (principal: Principal | null) => scopeOfPrincipal(deps.store, principal, deps.agentCustomerScope ?? 'all');
  return [
    defineRoute({
      method: 'GET', path: '/api/sync/image', operationId: 'syncImageManifest', tag: 'sync', roles: ['agent', 'supervisor'],
      summary: "The cold-sync image of the caller's scope: a ready SQLite file of the desktop cache, its hash and feed position",
      responses: { 200: { description: 'The current image', schema: syncImageManifestSchema }, 404: { description: 'Images are off on this server' } },
      handler: async ({ reply, principal }) => {
        if (!deps.syncImages) return sendError(reply, 404, 'not_found', 'Cold-sync images are off on this server');
        return (await deps.syncImages.imageFor(await scopeOf(principal))).manifest;
      },
    }),
    defineRoute({
      method: 'GET', path: '/api/sync/image/:sha256', operationId: 'syncImageFile', tag: 'sync', roles: ['agent', 'supervisor'],
      summary: 'Download a cold-sync image (streamed; check it against its SHA-256)',
      params: imageParamsSchema,
      responses: {
        200: { description: 'The SQLite file; zstd-compressed (Content-Encoding: zstd) when Accept-Encoding asks for it', contentType: 'application/vnd.sqlite3' },
        404: { description: "Not the current image of the caller's scope (it may have been replaced: ask for the manifest again)" },
      },
      handler: async ({ params, request, reply, principal }) => {
        const image = deps.syncImages?.imageById(await scopeOf(principal), params.sha256);
        if (!image) return sendError(reply, 404, 'not_found', 'No such cold-sync image for this account (it may have been replaced)');
        // zstd when the desktop asks for it; the hash header is always the plain file's, which the desktop checks after inflating.
        const zstd = image.zstd && acceptsZstd(request.headers['accept-encoding']) ? image.zstd : null;
        reply
          .header('content-type', 'application/vnd.sqlite3')
          .header('vary', 'accept-encoding')
          .header('x-holdfast-sha256', image.manifest.sha256);
        if (zstd) reply.header('content-encoding', 'zstd');
        // Opened before the answer starts: a file unlinked by a newer build still streams whole.
        return reply.header('content-length', String(zstd ? zstd.bytes : image.manifest.bytes)).send(createReadStream(zstd ? zstd.file : image.file));
      },
    }),
  ];
}
