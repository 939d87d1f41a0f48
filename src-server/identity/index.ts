export { canonicalFromDemo } from './demo-records';
export { constraintsFrom, decisionBetween } from './decisions';
export type { IdentityConstraints } from './decisions';
export { applyGolden, newProfile } from './golden-profile';
export { IdentityActionError, IdentityService } from './identity-service';
export type { IdentityServiceOptions, ResolveSummary } from './identity-service';
