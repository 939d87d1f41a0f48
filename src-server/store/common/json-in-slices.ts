import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** An array or record with more entries than this is written entry by entry. */
const LARGE = 64;

/**
 * JSON.stringify of a large plain value (the router's state: 2.9 MB at 5,000 agents with 1,500 open calls),
 * written in slices of about `sliceMs` with the event loop let run between them. In one go it held the routing
 * node for about 50 ms at every save, and calls arriving meanwhile waited. Only what holds a large collection
 * (within two levels) is taken apart; everything else goes through JSON.stringify whole, so the cost stays
 * near native. The value must not change until the promise settles (the router hands a fresh snapshot).
 * Same text as JSON.stringify for plain data: no toJSON, Map or Set; undefined entries are left out of
 * objects and written null in arrays.
 */
export async function jsonInSlices(value: unknown, sliceMs = 4): Promise<string> {
  let sliceStart = performance.now();
  const parts: string[] = [];
  const write = async (node: unknown): Promise<void> => {
    if (performance.now() - sliceStart > sliceMs) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
    if (!holdsLarge(node, 2)) {
      parts.push(JSON.stringify(node) ?? 'null');
    } else if (Array.isArray(node)) {
      parts.push('[');
      for (let i = 0; i < node.length; i++) {
        if (i > 0) parts.push(',');
        const item: unknown = node[i];
        if (item === undefined || typeof item === 'function') parts.push('null');
        else await write(item);
      }
      parts.push(']');
    } else {
      parts.push('{');
      let first = true;
      for (const [key, item] of Object.entries(node as object)) {
        if (item === undefined || typeof item === 'function') continue;
        parts.push(`${first ? '' : ','}${JSON.stringify(key)}:`);
        first = false;
        await write(item);
      }
      parts.push('}');
    }
  };
  await write(value);
  return parts.join('');
}

function holdsLarge(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
  if (children.length > LARGE) return true;
  return depth > 0 && children.some((child) => holdsLarge(child, depth - 1));
}
