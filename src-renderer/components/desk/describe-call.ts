import type { TFunction } from 'i18next';
import type { PopView } from '@shared/contract/pop';
import type { OutreachTask } from '@shared/contract/server-socket';
import { money } from '../../format';

/** The caller's name as the pop shows it. */
export function callerName(t: TFunction, pop: PopView, task: OutreachTask | null): string {
  return pop.customer ? `${pop.customer.givenName} ${pop.customer.familyName}` : task?.customerName ?? t('call.unknownCaller');
}

/** Risk band and value at risk in words, for announcements and notifications (no colour to lean on). */
export function riskWords(t: TFunction, pop: PopView): string {
  return pop.risk ? t(`segment.band.${pop.risk.band}`) : t('segment.unscored');
}

export function valueWords(t: TFunction, pop: PopView, language: string): string {
  return pop.value ? `${t('outreach.valueAtRisk')} ${money(pop.value.valueAtRisk, language)}` : '';
}
