import { summarizeHistory } from '@shared/summary/index';
import type { Summariser } from './pop-builder';

/**
 * The pop's first brief: the deterministic on-device summariser, in the
 * agent's UI language. It is what the agent reads until (and unless) the
 * model's brief streams in, and what stays when the model is slow or down.
 */
export const onDeviceSummary: Summariser = (history, language, offerName) => ({
  bullets: summarizeHistory(history, language, offerName).bullets.map((bullet) => bullet.text),
});
