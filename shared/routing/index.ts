/**
 * Holdfast routing engine: the public API for the server.
 *
 *   const router = createRouter({ defaultQueue: { policy: 'predictive', baselineShare: 0.1 } });
 *   const { decisions } = router.apply({ type: 'callArrived', ... }, Date.now());
 *   // offer each decision to its agent; schedule reservationExpired at decision.deadline
 *   router.recordOutcome({ agentId, segment, saved });
 *   store(router.snapshot()); ... router.restore(loaded); router.rebalance(Date.now());
 */
export { createRouter } from './engine';
export type {
  AgentInfo,
  ApplyResult,
  BatchResult,
  CallInfo,
  CreateRouterOptions,
  QueueStats,
  Reservation,
  Router,
  TryApplyResult,
} from './engine';
export { RoutingError, isRoutingError } from './errors';
export type { RoutingErrorCode } from './errors';
export { routingEventSchema, outcomeSchema } from './events';
export type { AgentLoginEvent, CallArrivedEvent, Outcome, RoutingEvent, RoutingEventInput, RoutingEventType } from './events';
export { queueConfigSchema, routerConfigSchema } from './config';
export type { GuardConfig, LearningConfig, MatchConfig, PriorityConfig, QueueConfig, QueueConfigInput, RouterConfig, RouterConfigInput } from './config';
export { builtInPolicies, longestIdlePolicy, predictivePolicy } from './policies';
export type { MatchPolicy, PolicyContext } from './policies';
export { priorityAt, overtakingBoundMs } from './priority';
export { fitBetaBinomialPrior, OutcomeStats } from './learning';
export type { BetaPrior, Estimate } from './learning';
export { solveAssignment } from './hungarian';
export { assignArm } from './arms';
export { newcombeInterval, upliftReport, wilsonInterval } from './uplift';
export type { ArmOutcome, ArmSummary, UpliftReport } from './uplift';
export { routerSnapshotSchema } from './snapshot';
export type { RouterSnapshot } from './snapshot';
export { createBlendedPlanner, outreachConfigSchema, outreachCustomerSchema, rankOutreach, type BlendedPlanner } from './outreach';
export type { OutreachConfigInput, OutreachCustomer, OutreachItem, OutreachRanking, PreviewTask } from './outreach';
export type { AgentPresence, AgentView, Arm, CallPhase, CallView } from './state';
