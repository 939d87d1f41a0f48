/**
 * Identity resolution: many source records -> one person each.
 * Pipeline: standardise -> prepare -> block -> compare -> Fellegi-Sunter (EM)
 * -> chain-refusing clustering -> golden records with lineage -> caller lookup.
 */
export { CANONICAL_FIELDS, MAPPABLE_FIELDS, canonicalFieldSchema, canonicalRecordSchema, mappableFieldSchema, recordKey } from './canonical';
export type { CanonicalField, CanonicalRecord, MappableField } from './canonical';

export { autoMapColumns, normaliseColumnName, parseMappingPairs } from './field-mapping';
export type { FieldMapping, MappingParseResult } from './field-mapping';

export { DEFAULT_DATE_OPTIONS, parseDate } from './dates';
export type { DateParseOptions, DateParseResult, DayMonthOrder } from './dates';
export { isPhoneRegion, standardisePhone } from './phones';
export type { PhoneRegion, PhoneResult } from './phones';
export { displayName, foldText, nameKey } from './text';
export { isMatchable, resolveDateOptions, standardiseRecord } from './standardise';
export type { FieldIssue, StandardiseOptions, StandardRecord } from './standardise';

export { givenNameRoot, isNicknameOf } from './nicknames';
export { soundex } from './phonetic';
export { compareDates, dateSimilarity, editDistance, jaro, jaroWinkler, jaroWinklerAtLeast, tokenOverlap, tokenSimilarity, withinOneEdit } from './similarity';
export type { DateAgreement } from './similarity';

export { prepareRecords } from './prepared';
export type { PreparedRecords } from './prepared';
export { candidatePairs, defaultBlockingKeys, defaultOneEditKeys } from './blocking';
export type { BlockingKey, BlockingReport, CandidatePairs, OneEditKey, OversizedBlock } from './blocking';
export { COMPARISONS, compareRecords, hasHardConflict } from './comparison';
export type { ComparisonSpec } from './comparison';
export { DEFAULT_EM_OPTIONS, estimateFellegiSunter, matchProbability, matchWeight } from './fellegi-sunter';
export type { EmOptions, FellegiSunterModel, PatternCounts } from './fellegi-sunter';
export { clusterRecords, DEFAULT_CLUSTER_OPTIONS, membersOf } from './clustering';
export type { ClusterConstraints, ClusterEdges, ClusterOptions, ClusterResult, PairScorer } from './clustering';
export { ADDRESS_FIELDS, buildGoldenRecord, DEFAULT_SURVIVORSHIP } from './survivorship';
export type { GoldenLineage, GoldenRecord, SurvivorshipCriterion, SurvivorshipRules } from './survivorship';
export { assignCustomerIds, customerIdFor, stableHash } from './ids';
export { DEFAULT_RESOLVE_OPTIONS, resolveIdentities, resolveStandardised } from './resolve';
export type { ResolveOptions, ResolveResult } from './resolve';
export { BLOCK_KINDS, BlockIndex, forEachBlockingKey } from './block-index';
export { DEFAULT_INCREMENTAL_SETTINGS, IncrementalResolver } from './incremental';
export type { IncrementalSeed, IncrementalSettings, Placement, PlacementConstraints } from './incremental';

export { buildCallerIndex, CONFIDENT, indexRecord, lookupCaller } from './caller-lookup';
export type { CallerCandidate, CallerIndex, CallerIndexInput, CallerMatch, MatchedOn } from './caller-lookup';
export { assignmentFromResult, confirmCluster, mergeClusters, previousIdsOf, splitCluster } from './agent-actions';
export type { AssignmentSource, IdentityAssignment, IdentityCluster } from './agent-actions';

export { entityIdFromTruth, pairwiseMetrics } from './evaluation';
export type { PairwiseMetrics } from './evaluation';

export {
  DEFAULT_SOURCE_OPTIONS,
  formatPhone,
  generateIdentityRecords,
  generatePeople,
  personFromProfile,
  sourceRecordsForPerson,
  SYNTHETIC_SOURCES,
} from './synthetic';
export type { IdentityDatasetOptions, LabelledRecord, SourceRecordOptions, SyntheticAddress, SyntheticPerson, SyntheticSource } from './synthetic';
export { DEFAULT_FEBRL_OPTIONS, FEBRL_COLUMNS, generateFebrlLike } from './synthetic-febrl';
export type { FebrlColumn, FebrlOptions, FebrlRow } from './synthetic-febrl';
