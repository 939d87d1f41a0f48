import type { MethodInput } from '@shared/contract/desktop-api';
import { bridge } from '../../bridge/bridge';

export const reviewSummary = (input: MethodInput<'review.summary'>) => bridge.invoke('review.summary', input);
export const reviewTrend = (input: MethodInput<'review.trend'>) => bridge.invoke('review.trend', input);
export const reviewCut = (input: MethodInput<'review.cut'>) => bridge.invoke('review.cut', input);
export const reviewCalls = (input: MethodInput<'review.calls'>) => bridge.invoke('review.calls', input);
export const reviewExport = (input: MethodInput<'review.export'>) => bridge.invoke('review.export', input);
export const reviewCohort = (input: MethodInput<'review.cohort'>) => bridge.invoke('review.cohort', input);
export const reviewLive = () => bridge.invoke('review.live', {});
