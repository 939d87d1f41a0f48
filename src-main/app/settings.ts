import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { checkServerUrl, SERVER_CA_ENV } from '../services/server-link/server-trust';
import { splitServerUrls } from '../services/server-link/server-urls';

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:4870';
export const SETTINGS_FILE = 'settings.json';

/** One http(s) URL, or several comma-separated (the nodes of a routing cluster). */
const serverUrlSchema = z.string().trim().refine((value) => splitServerUrls(value).length > 0 && splitServerUrls(value).every((one) => {
  try {
    const url = new URL(one);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}), 'must be an http(s) URL, or several separated by commas');

const settingsSchema = z.object({
  serverUrl: serverUrlSchema.optional(),
  /** A PEM file of CA certificates to trust for the routing server (a private CA), as HOLDFAST_SERVER_CA. */
  serverCaFile: z.string().trim().min(1).optional(),
}).loose();

export interface ServerUrlChoice {
  serverUrl: string;
  source: 'env' | 'settings' | 'default';
  /** Problems with the sources that were skipped, for the log. */
  warnings: string[];
}

/**
 * The routing server's URL: HOLDFAST_SERVER_URL, else `serverUrl` in
 * settings.json in userData, else the local default. A value that is not an
 * http(s) URL is reported and skipped rather than stopping the app; plain
 * http to another machine throws (InsecureServerUrlError): falling back to
 * another server would hide the mistake.
 */
export function resolveServerUrl(env: NodeJS.ProcessEnv, userDataDir: string): ServerUrlChoice {
  const warnings: string[] = [];
  const fromEnv = env.HOLDFAST_SERVER_URL;
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const parsed = serverUrlSchema.safeParse(fromEnv);
    if (parsed.success) {
      checkServerUrl(parsed.data);
      return { serverUrl: parsed.data, source: 'env', warnings };
    }
    warnings.push(`HOLDFAST_SERVER_URL ${JSON.stringify(fromEnv)} is not an http(s) URL; ignored.`);
  }

  const file = join(userDataDir, SETTINGS_FILE);
  let fromFile: string | undefined;
  if (existsSync(file)) {
    try {
      const parsed = settingsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (!parsed.success) {
        warnings.push(`${file}: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'settings'}: ${issue.message}`).join('; ')}; ignored.`);
      } else {
        fromFile = parsed.data.serverUrl;
      }
    } catch (error) {
      warnings.push(`${file} could not be read (${error instanceof Error ? error.message : String(error)}); ignored.`);
    }
  }
  if (fromFile !== undefined) {
    checkServerUrl(fromFile);
    return { serverUrl: fromFile, source: 'settings', warnings };
  }
  return { serverUrl: DEFAULT_SERVER_URL, source: 'default', warnings };
}

/**
 * The CA file to trust for the routing server besides the system's:
 * HOLDFAST_SERVER_CA, else `serverCaFile` in settings.json (for an installed
 * app, which is not started from a shell); null for the system's CAs only.
 * The backend reads it from HOLDFAST_SERVER_CA, so main.ts sets that.
 */
export function resolveServerCaFile(env: NodeJS.ProcessEnv, userDataDir: string): string | null {
  const fromEnv = env[SERVER_CA_ENV]?.trim();
  if (fromEnv) return fromEnv;
  const file = join(userDataDir, SETTINGS_FILE);
  if (!existsSync(file)) return null;
  try {
    const parsed = settingsSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data.serverCaFile ?? null : null;
  } catch {
    // resolveServerUrl has reported the unreadable file.
    return null;
  }
}
