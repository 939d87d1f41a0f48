import type { OfferDecisionStore } from './roles/offer-decision-store';
import type { AccountEventStore } from './roles/account-event-store';
import type { AccountStore } from './roles/account-store';
import type { AgentStore } from './roles/agent-store';
import type { CallStore } from './roles/call-store';
import type { CustomerStore } from './roles/customer-store';
import type { DocumentStore } from './roles/document-store';
import type { FeedStore } from './roles/feed-store';
import type { IdentityStore } from './roles/identity-store';
import type { OutcomeStore } from './roles/outcome-store';
import type { PlaybookStore } from './roles/playbook-store';
import type { ReviewStore } from './roles/review-store';
import type { ScoringStore } from './roles/scoring-store';
import type { TelephonyStore } from './roles/telephony-store';

export type { AccountEventsApplied, AccountEventStore } from './roles/account-event-store';
export type { AccountState, AccountStore } from './roles/account-store';
export type { AgentStore, StoredAgent } from './roles/agent-store';
export type { CallStore } from './roles/call-store';
export type { CustomerBundle, CustomerStore, CustomerWrite, StoredProfileEdit } from './roles/customer-store';
export type { DocumentStore } from './roles/document-store';
export type { FeedStore } from './roles/feed-store';
export type { IdentityDecision, IdentityStore, SourceRecordCounts, StoredSourceRecord } from './roles/identity-store';
export type { OfferDecisionStore } from './roles/offer-decision-store';
export type { OutcomeStore, OutcomeWrite } from './roles/outcome-store';
export type { PlaybookStore } from './roles/playbook-store';
export type { CohortMember, ReviewFact, ReviewRow, ReviewStore } from './roles/review-store';
export type { PendingDelivery, TelephonyStore } from './roles/telephony-store';
export type { ScoringInput, ScoringInputPage, ScoringReadOptions, ScoringStore } from './roles/scoring-store';

/**
 * Everything the routing server persists: one role per concern (roles/*),
 * each service declaring only the roles it uses. Asynchronous so that a
 * networked database can stand behind it; the embedded default is SQLite
 * (sqlite-store.ts), PostgreSQL the other (postgres-store.ts). Only the
 * composition roots (routing-server.ts, the tools) hold the whole store.
 */
export type ServerStore = AgentStore
  & AccountStore
  & CustomerStore
  & FeedStore
  & PlaybookStore
  & DocumentStore
  & CallStore
  & OutcomeStore
  & IdentityStore
  & ScoringStore
  & AccountEventStore
  & OfferDecisionStore
  & ReviewStore
  & TelephonyStore
  & { close(): Promise<void> };
