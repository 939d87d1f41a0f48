/**
 * Redaction of personal data before anything leaves the device.
 *
 *   const redactor = createRedactor({ defaultRegion: 'IL' });      // config: redactionConfigSchema
 *   const session = redactor.createSession(redactionProfileFromCustomer(customer));
 *   const safe = session.redact(text);                               // "[NAME_1] paid with [CARD_1]"
 *   restore(modelAnswer, session.mapping);                           // back to real values, locally
 *
 * One session per payload: the same value gets the same placeholder across all its texts.
 */
export { PII_CATEGORIES, type PiiCategory, placeholderFor, exactPlaceholderPattern, lookalikePlaceholderPattern, emptyCounts } from './categories';
export { type Candidate } from './candidate';
export {
  luhnValid,
  ibanMod97Valid,
  israeliIdValid,
  spanishDniValid,
  chineseResidentIdValid,
  ukNinoValid,
  usSsnValid,
  frenchNirValid,
  germanTaxIdValid,
  russianSnilsValid,
  russianInnValid,
} from './checksums';
export { redactionConfigSchema, type RedactionConfig, type RedactionConfigInput, knownNationalIdCountries } from './config';
export { NATIONAL_ID_RULES, type NationalIdRule } from './detectors/national-ids';
export { IBAN_LENGTHS } from './detectors/iban';
export { CARD_BRANDS, cardBrand, isCardNumber } from './detectors/cards';
export { findUrls } from './detectors/urls';
export { foldText } from './folding';
export {
  redactionProfileSchema,
  type RedactionProfile,
  EMPTY_PROFILE,
  redactionProfileFromCustomer,
  parseProfileInput,
} from './profile';
export {
  createRedactor,
  type Redactor,
  type RedactionSession,
  type RedactionResult,
  type RedactionMapping,
  type RedactedSpan,
} from './redactor';
export { restore, unknownPlaceholders, knownPlaceholders } from './restore';
export { labelCoverage, shapeOf, findNearMisses, type LabelOutcome, type NearMiss } from './evaluate';
export { DEFAULT_DISPLAY_POLICY, maskValue, restoreForDisplay, type DisplayMode, type DisplayPolicy } from './display';
