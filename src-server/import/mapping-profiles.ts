import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { mappableFieldSchema } from '@shared/identity/canonical';
import type { FieldMapping } from '@shared/identity/field-mapping';

/** A saved, named way to read one kind of source file. */
export const mappingProfileSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'profile names use letters, digits, _ . - (max 64)'),
  /** Source label for records when the file has no source column. */
  source: z.string().min(1).optional(),
  format: z.enum(['csv', 'tsv', 'ndjson', 'json']).optional(),
  /** field -> column. */
  fields: z.partialRecord(mappableFieldSchema, z.string().min(1)),
  /** Phone region for numbers without a country code. */
  defaultRegion: z.string().length(2).optional(),
});
export type MappingProfile = z.infer<typeof mappingProfileSchema>;

function profilePath(directory: string, name: string): string {
  return join(directory, `${name}.mapping.json`);
}

export async function saveMappingProfile(directory: string, profile: MappingProfile): Promise<string> {
  const valid = mappingProfileSchema.parse(profile);
  await mkdir(directory, { recursive: true });
  const path = profilePath(directory, valid.name);
  await writeFile(path, JSON.stringify(valid, null, 2) + '\n', 'utf8');
  return path;
}

export class MappingProfileError extends Error {}

/** Loads a saved profile by name; a clear error if it is missing or malformed. */
export async function loadMappingProfile(directory: string, name: string): Promise<MappingProfile> {
  const path = profilePath(directory, name);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new MappingProfileError(`no mapping profile "${name}" in ${directory}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MappingProfileError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = mappingProfileSchema.safeParse(json);
  if (!parsed.success) {
    throw new MappingProfileError(`${path}: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
  }
  return parsed.data;
}

export async function listMappingProfiles(directory: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(directory);
  } catch {
    return [];
  }
  return entries.filter((entry) => entry.endsWith('.mapping.json')).map((entry) => entry.slice(0, -'.mapping.json'.length)).sort();
}

export function profileMapping(profile: MappingProfile): FieldMapping {
  return { ...profile.fields };
}
