/**
 * Customer-written text travels to the model only as JSON inside a marked
 * block. Angle brackets are escaped (\u003c, \u003e), so nothing inside can
 * close the block or open a fake one; JSON string escaping already keeps
 * quotes and newlines from breaking out of their field.
 */
export const DATA_TAG = 'customer_data';

export function encodeJsonForPrompt(value: unknown): string {
  return JSON.stringify(value, null, 1)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e');
}

export function dataBlock(value: unknown, tag: string = DATA_TAG): string {
  return `<${tag}>\n${encodeJsonForPrompt(value)}\n</${tag}>`;
}
