import { z } from 'zod';

/**
 * Where and how to reach an OpenAI-compatible endpoint. The key comes from
 * the host (the OS keychain in the desktop app) and is never logged or
 * returned to the renderer.
 */
export const aiClientConfigSchema = z.object({
  baseURL: z.url({ message: 'baseURL must be a URL such as https://api.openai.com/v1' }),
  model: z.string().min(1, 'model is required'),
  /** Optional: local servers often need none. */
  apiKey: z.string().optional(),
  /** No first token by then: the on-device brief is shown instead. */
  firstTokenTimeoutMs: z.number().int().positive().default(4_000),
  /** Whole streamed answer, after the first token. */
  requestTimeoutMs: z.number().int().positive().default(30_000),
  /** Non-streamed calls (wrap-up, connection test). */
  jsonTimeoutMs: z.number().int().positive().default(10_000),
  /** Attempts per call, first included, for 429, 5xx and connection failures. */
  maxAttempts: z.number().int().min(1).max(8).default(3),
  baseBackoffMs: z.number().int().nonnegative().default(400),
  maxBackoffMs: z.number().int().positive().default(8_000),
  /** A Retry-After longer than this is not waited for. */
  maxRetryAfterMs: z.number().int().positive().default(10_000),
  temperature: z.number().min(0).max(2).default(0.2),
  maxTokens: z.number().int().positive().default(500),
  /** Ask for token usage in the last stream chunk; turn off for servers that reject stream_options. */
  includeUsage: z.boolean().default(true),
  cacheTtlMs: z.number().int().positive().default(30 * 60_000),
  cacheMaxEntries: z.number().int().positive().default(200),
  /** Phone region for redaction and for checking the model's output. */
  region: z
    .string()
    .regex(/^[A-Za-z]{2}$/)
    .default('US'),
  /** Countries whose national id patterns are redacted; absent: all the redactor knows. */
  nationalIdCountries: z.array(z.string().regex(/^[A-Za-z]{2}$/)).optional(),
  maxInteractions: z.number().int().positive().default(40),
});
export type AiClientConfig = z.infer<typeof aiClientConfigSchema>;
export type AiClientConfigInput = z.input<typeof aiClientConfigSchema>;

export function parseAiClientConfig(input: unknown): AiClientConfig {
  const parsed = aiClientConfigSchema.safeParse(input);
  if (!parsed.success) {
    // Never echo the input: it may hold the key.
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`Invalid AI client configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}
