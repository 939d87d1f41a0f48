import { hashString } from '@shared/util/random';
import type { Arm } from './state';

/**
 * Which arm a call belongs to: a seeded hash of its id, so the split is
 * reproducible (same call, same arm, after a restart or on replay) and cannot
 * be steered by anything the router knows about the call.
 */
export function hashUnit(seed: string, callId: string): number {
  // A second round of mixing: FNV-1a alone is weak in its low bits for short, similar ids.
  let h = hashString(`${seed}\u0000${callId}`);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 4294967296;
}

export function assignArm(seed: string, callId: string, baselineShare: number): Arm {
  if (baselineShare <= 0) return 'policy';
  return hashUnit(seed, callId) < baselineShare ? 'baseline' : 'policy';
}
