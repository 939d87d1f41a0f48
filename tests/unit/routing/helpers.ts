import type { Language } from '@shared/domain/language';
import type { RoutingEventInput } from '@shared/routing';

export function login(
  agentId: string,
  options: { languages?: Partial<Record<Language, number>>; skills?: string[]; capacity?: number; presence?: 'available' | 'away' } = {},
): RoutingEventInput {
  return {
    type: 'agentLogin',
    agentId,
    languages: options.languages ?? { en: 5 },
    skills: options.skills ?? [],
    capacity: options.capacity ?? 1,
    presence: options.presence ?? 'available',
  };
}

export function arrive(
  callId: string,
  options: {
    language?: Language;
    segment?: string;
    valueAtRisk?: number;
    churnRisk?: number;
    arrivedAt?: number;
    requiredSkills?: string[];
    intent?: string;
    queue?: string;
  } = {},
): RoutingEventInput {
  return {
    type: 'callArrived',
    callId,
    language: options.language ?? 'en',
    intent: options.intent ?? 'retention',
    requiredSkills: options.requiredSkills ?? [],
    customerId: `cust-${callId}`,
    segment: options.segment ?? 'mid/medium',
    churnRisk: options.churnRisk ?? 0.4,
    clv: (options.valueAtRisk ?? 1000) * 2,
    valueAtRisk: options.valueAtRisk ?? 1000,
    arrivedAt: options.arrivedAt ?? 0,
    ...(options.queue === undefined ? {} : { queue: options.queue }),
  };
}

export const accept = (callId: string, agentId: string): RoutingEventInput => ({ type: 'offerAccepted', callId, agentId });
export const reject = (callId: string, agentId: string): RoutingEventInput => ({ type: 'offerRejected', callId, agentId });
export const expire = (callId: string, agentId: string): RoutingEventInput => ({ type: 'reservationExpired', callId, agentId });
export const connect = (callId: string, agentId: string): RoutingEventInput => ({ type: 'callConnected', callId, agentId });
export const end = (callId: string, agentId?: string): RoutingEventInput => ({ type: 'callEnded', callId, ...(agentId ? { agentId } : {}) });
export const wrapDone = (agentId: string, callId?: string): RoutingEventInput => ({ type: 'wrapUpDone', agentId, ...(callId ? { callId } : {}) });
export const abandon = (callId: string): RoutingEventInput => ({ type: 'callAbandoned', callId });
