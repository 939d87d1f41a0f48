/**
 * Freezes a plain JSON-like value and everything in it, for a value that many
 * callers share (a cached read): one that tried to change it would throw in
 * strict mode instead of changing it for the others.
 */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  for (const child of Object.values(value)) deepFreeze(child);
  return Object.freeze(value);
}
