/** The schema lives in shared/ so the server can build cache images with the very same tables (see shared/storage/cache-image.ts). */
export { CACHE_MIGRATIONS } from '@shared/storage/cache-migrations';
