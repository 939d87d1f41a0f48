/**
 * The stamp format of a hybrid logical clock (see shared/sync/hlc.ts for the
 * clock): 15 digits of wall time, 5 of counter and a node id, so stamps sort
 * as strings and "later" is a string comparison everywhere. The format is part
 * of the data a profile edit carries, so it lives with the other schemas.
 */
export interface HlcState {
  wallMs: number;
  counter: number;
  node: string;
}

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 5;
/** The largest counter a stamp can hold. */
export const HLC_MAX_COUNTER = 10 ** COUNTER_DIGITS - 1;
/** What a clock's node id may be. */
export const HLC_NODE_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const STAMP_PATTERN = new RegExp(`^(\\d{${WALL_DIGITS}})-(\\d{${COUNTER_DIGITS}})-([A-Za-z0-9_-]{1,32})$`);

export function formatHlc(state: HlcState): string {
  return `${String(state.wallMs).padStart(WALL_DIGITS, '0')}-${String(state.counter).padStart(COUNTER_DIGITS, '0')}-${state.node}`;
}

export function parseHlc(stamp: string): HlcState | null {
  const match = STAMP_PATTERN.exec(stamp);
  return match ? { wallMs: Number(match[1]), counter: Number(match[2]), node: match[3]! } : null;
}

export function isHlc(stamp: unknown): stamp is string {
  return typeof stamp === 'string' && parseHlc(stamp) !== null;
}
