/**
 * Chat prompts built from redacted data (customer text JSON-encoded inside a
 * <customer_data> block the model is told never to obey), and the checks applied
 * to what the model writes back before anything is restored or shown.
 */
export { type ChatMessage, LANGUAGE_NAMES } from './chat';
export { DATA_TAG, dataBlock, encodeJsonForPrompt } from './data-block';
export { buildBriefPrompt, BRIEF_RULES, DEFAULT_MAX_INTERACTIONS, type BriefPrompt, type BriefPromptInput } from './brief-prompt';
export { buildWrapUpPrompt, WRAP_UP_RULES, type WrapUpPrompt, type WrapUpPromptInput } from './wrap-up-prompt';
export {
  createOutputGuard,
  BriefLineValidator,
  validateBriefOutput,
  parseWrapUpOutput,
  MAX_MODEL_BULLETS,
  type OutputGuard,
  type LineVerdict,
  type DropReason,
  type DroppedLine,
  type ValidatedBrief,
  type ValidatedWrapUp,
} from './output-guard';
