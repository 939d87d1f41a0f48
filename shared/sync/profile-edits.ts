import { z } from 'zod';
import type { CustomerProfile } from '../domain/customer';
import { languageSchema } from '../domain/language';
import { isHlc } from './hlc';

/**
 * Fields an agent or a source system may correct. Each is last-writer-wins
 * on its own hybrid-logical-clock stamp, so two edits to different fields
 * never overwrite each other, and the same edit applied twice is a no-op.
 */
export const EDITABLE_FIELDS = {
  language: languageSchema,
  email: z.email().max(254).nullable(),
  doNotCall: z.boolean(),
} as const;
export type EditableField = keyof typeof EDITABLE_FIELDS;
export const editableFieldSchema = z.enum(Object.keys(EDITABLE_FIELDS) as [EditableField, ...EditableField[]]);

export const profileEditSchema = z
  .object({
    id: z.uuid(),
    customerId: z.string().min(1).max(64),
    field: editableFieldSchema,
    value: z.unknown(),
    hlc: z.string().refine(isHlc, 'not a hybrid logical clock stamp'),
    author: z.string().min(1).max(64),
  })
  .superRefine((edit, ctx) => {
    const parsed = EDITABLE_FIELDS[edit.field].safeParse(edit.value);
    if (!parsed.success) ctx.addIssue({ code: 'custom', path: ['value'], message: `invalid ${edit.field}: ${parsed.error.issues[0]?.message ?? 'bad value'}` });
  });
export type ProfileEdit = z.infer<typeof profileEditSchema>;

/** The clock stamp of the last write to each editable field. */
export type FieldClocks = Partial<Record<EditableField, string>>;

/** Applies an edit if it is newer than what the field holds; returns the profile unchanged otherwise. */
export function applyProfileEdit(profile: CustomerProfile, edit: Pick<ProfileEdit, 'field' | 'value' | 'hlc'>): { profile: CustomerProfile; applied: boolean } {
  const clocks = (profile.fieldClocks ?? {}) as FieldClocks;
  const current = clocks[edit.field];
  if (current !== undefined && current >= edit.hlc) return { profile, applied: false };
  return {
    profile: { ...profile, [edit.field]: EDITABLE_FIELDS[edit.field].parse(edit.value), fieldClocks: { ...clocks, [edit.field]: edit.hlc } },
    applied: true,
  };
}

/**
 * Folds a profile from the server into the local copy: each editable field
 * keeps whichever side wrote it last, so a local edit still in the outbox is
 * not undone by an older server copy, and a newer server edit wins.
 */
export function mergeIncomingProfile(local: CustomerProfile | null, incoming: CustomerProfile): CustomerProfile {
  if (!local) return incoming;
  const localClocks = (local.fieldClocks ?? {}) as FieldClocks;
  const merged: CustomerProfile = { ...incoming, fieldClocks: { ...(incoming.fieldClocks ?? {}) } };
  for (const field of Object.keys(EDITABLE_FIELDS) as EditableField[]) {
    const mine = localClocks[field];
    const theirs = (incoming.fieldClocks as FieldClocks | undefined)?.[field];
    if (mine !== undefined && (theirs === undefined || mine > theirs)) {
      (merged as Record<string, unknown>)[field] = local[field];
      merged.fieldClocks![field] = mine;
    }
  }
  return merged;
}
