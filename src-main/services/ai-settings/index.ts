/** The desktop's LLM endpoint: settings, the key's store, and the audit log of what was sent. */
export { AiSettingsStore, apiKeySecretName, DEFAULT_FIRST_TOKEN_TIMEOUT_MS, type AiSettingsUpdate } from './ai-settings';
export { FileSecretStore, SafeStorageSecretStore, type SafeStorageLike, type SecretStore } from './secret-store';
export { cacheAuditSink } from './audit-log';
