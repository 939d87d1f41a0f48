import type { CustomerProfile } from '../domain/customer';
import { EDITABLE_FIELDS, type EditableField, type FieldClocks, type ProfileEdit } from '../domain/profile-edit';

// The schemas are in shared/domain, beside the desktop API contract that uses them.
export { EDITABLE_FIELDS, editableFieldSchema, profileEditSchema, type EditableField, type FieldClocks, type ProfileEdit } from '../domain/profile-edit';

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
