/** The row preparation lives in shared/ so the server builds cache images with the same rows a desktop writes. */
export * from '@shared/storage/prepared-rows';
