import pino, { type DestinationStream, type Logger } from 'pino';
import { logRedaction } from '@shared/util/log-redaction';

/**
 * Structured logs for the desktop backend (plain Node, or Electron's main
 * process): JSON lines, with the same secrets and personal data censored as
 * on the routing server (shared/util/log-redaction.ts).
 */
export interface DesktopLoggerOptions {
  /** A pino level (fatal, error, warn, info, debug, trace, silent); default HOLDFAST_LOG_LEVEL, else 'info'. */
  level?: string;
  /** Where the lines go; default stderr. */
  destination?: DestinationStream;
  /** Log nothing at all, whatever the level (for tests). */
  silent?: boolean;
  /** The `name` of every line; default 'holdfast-desktop'. */
  name?: string;
  /** Where HOLDFAST_LOG_LEVEL is read; default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

const LEVELS: readonly string[] = [...Object.keys(pino.levels.values), 'silent'];

export function createDesktopLogger(options: DesktopLoggerOptions = {}): Logger {
  const { env = process.env, name = 'holdfast-desktop' } = options;
  const level = options.silent ? 'silent' : (options.level ?? env.HOLDFAST_LOG_LEVEL ?? 'info');
  if (!LEVELS.includes(level)) throw new Error(`Unknown log level "${level}" (HOLDFAST_LOG_LEVEL or the level option): use one of ${LEVELS.join(', ')}.`);
  // Synchronous on stderr, so the lines before a crash are not lost in a buffer; nothing is opened when silent.
  const destination = options.destination ?? (options.silent ? { write: () => {} } : pino.destination({ dest: 2, sync: true }));
  return pino({ name, level, redact: logRedaction() }, destination);
}
