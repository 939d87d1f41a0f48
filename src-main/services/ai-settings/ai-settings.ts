import { z } from 'zod';
import type { aiSettingsInputSchema, AiSettingsView } from '@shared/contract/desktop-api';
import { knownNationalIdCountries } from '@shared/redaction/index';
import type { AiClientConfigInput } from '../ai/index';
import type { LocalCache } from '../cache/local-cache';
import type { SecretStore } from './secret-store';

export type AiSettingsUpdate = z.output<typeof aiSettingsInputSchema>;

const SETTINGS_KEY = 'ai.endpoint';
export const DEFAULT_FIRST_TOKEN_TIMEOUT_MS = 4_000;

const storedSchema = z.object({
  baseUrl: z.string(),
  model: z.string(),
  firstTokenTimeoutMs: z.number().int().positive(),
  // Defaults let settings saved before these existed still load.
  redactionRegion: z.string().regex(/^[A-Z]{2}$/).default('US'),
  nationalIdCountries: z.array(z.string()).default(() => knownNationalIdCountries()),
});
type StoredAiSettings = z.infer<typeof storedSchema>;

const DEFAULTS: StoredAiSettings = storedSchema.parse({ baseUrl: '', model: '', firstTokenTimeoutMs: DEFAULT_FIRST_TOKEN_TIMEOUT_MS });

/** The update over what is saved: redaction choices left out of the form stay as they were. */
function storedOf(update: AiSettingsUpdate, current: StoredAiSettings): StoredAiSettings {
  const { baseUrl, model, firstTokenTimeoutMs } = update;
  return {
    baseUrl,
    model,
    firstTokenTimeoutMs,
    redactionRegion: update.redactionRegion ?? current.redactionRegion,
    nationalIdCountries: update.nationalIdCountries ?? current.nationalIdCountries,
  };
}

/** The secret's name for one desktop user: each user of a shared desktop brings their own key. */
export function apiKeySecretName(username: string): string {
  return `ai-api-key.${username.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)}`;
}

/**
 * The LLM endpoint settings of one desktop user: URL, model and timeout in the
 * user's encrypted cache, the key in the SecretStore. The key goes out only
 * inside the client configuration; the view has `hasKey`, never the key.
 */
export class AiSettingsStore {
  constructor(
    private readonly cache: LocalCache,
    private readonly secrets: SecretStore,
    private readonly secretName: string,
  ) {}

  stored(): StoredAiSettings {
    // Unset, or written by an app whose settings no longer parse: the defaults.
    return this.cache.settings.get(SETTINGS_KEY, storedSchema) ?? DEFAULTS;
  }

  async view(): Promise<AiSettingsView> {
    const settings = this.stored();
    return { ...settings, nationalIdCountriesAvailable: knownNationalIdCountries(), hasKey: (await this.secrets.get(this.secretName)) !== null, configured: settings.baseUrl !== '' && settings.model !== '' };
  }

  /**
   * A key was given for one endpoint: saving another URL without typing a
   * key again removes the stored one, so it is never sent to a server it was
   * not entered for (a typo, or a URL someone else suggested).
   */
  async save(update: AiSettingsUpdate): Promise<AiSettingsView> {
    const current = this.stored();
    const next = storedOf(update, current);
    if (update.apiKey !== undefined) await this.secrets.set(this.secretName, update.apiKey);
    else if (update.clearKey || update.baseUrl !== current.baseUrl) await this.secrets.delete(this.secretName);
    this.cache.settings.put(SETTINGS_KEY, next);
    return this.view();
  }

  /** The AI client's configuration from what is saved; null when no endpoint is set (on-device only). */
  async clientConfig(overrides: Partial<AiClientConfigInput> = {}): Promise<AiClientConfigInput | null> {
    const settings = this.stored();
    if (settings.baseUrl === '' || settings.model === '') return null;
    return this.toClientConfig(settings, await this.secrets.get(this.secretName), overrides);
  }

  /**
   * For "Test connection": the form's values, with a key typed into the form,
   * else the stored key only when the URL is the saved one (never to an
   * unsaved URL), else none.
   */
  async trialConfig(update: AiSettingsUpdate, overrides: Partial<AiClientConfigInput> = {}): Promise<AiClientConfigInput | null> {
    if (update.baseUrl === '') return null;
    const current = this.stored();
    const storedKeyMayGo = !update.clearKey && current.baseUrl !== '' && update.baseUrl === current.baseUrl;
    const key = update.apiKey ?? (storedKeyMayGo ? await this.secrets.get(this.secretName) : null);
    return this.toClientConfig(storedOf(update, current), key, overrides);
  }

  private toClientConfig(settings: StoredAiSettings, apiKey: string | null, overrides: Partial<AiClientConfigInput>): AiClientConfigInput {
    return {
      ...overrides,
      baseURL: settings.baseUrl,
      model: settings.model,
      firstTokenTimeoutMs: settings.firstTokenTimeoutMs,
      region: settings.redactionRegion,
      nationalIdCountries: settings.nationalIdCountries,
      ...(apiKey !== null ? { apiKey } : {}),
    };
  }
}
