import { z } from 'zod';
import { isHlc } from './hlc-stamp';
import { languageSchema } from './language';

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
