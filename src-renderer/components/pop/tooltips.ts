import type { PopView } from '@shared/contract/pop';

/**
 * What each number on the risk and value cards means, and which model
 * version made it. Kept apart from the cards so every tooltip can be checked
 * without a DOM.
 */

type Translate = (key: string, options?: Record<string, unknown>) => string;
type Risk = NonNullable<PopView['risk']>;
type Value = NonNullable<PopView['value']>;

const percent = (p: number): string => `${Math.round(p * 100)}%`;

export function riskTooltips(risk: Risk, t: Translate, formatDate: (iso: string) => string) {
  const version = risk.modelVersion;
  const then = risk.atLastContact;
  return {
    gauge: t('risk.tooltip', { version }),
    band: t('risk.bandTooltip', { band: t(`risk.band.${risk.band}`), version }),
    trend: then ? t('risk.trendTooltip', { pct: percent(then.probability), date: formatDate(then.at), now: percent(risk.probability), then: then.churnModel ?? version, version }) : null,
    reasons: risk.reasons.map((reason) => t('risk.reasonTooltip', { weight: reason.weight.toFixed(2), version })),
  };
}

export function valueTooltips(value: Value, t: Translate) {
  const version = value.modelVersion;
  const months = value.horizonMonths ?? null;
  const tier = t(`value.tierName.${value.tier}`);
  return {
    clvLabel: months === null ? t('value.clvPlain') : t('value.clv', { months }),
    clv: months === null ? t('value.tooltipClvPlain', { version }) : t('value.tooltipClv', { months, version }),
    atRisk: t('value.tooltipRisk', { churn: value.churnModelVersion ?? '–', version }),
    tier: value.tierShares ? t('value.tooltipTier', { tier, high: value.tierShares.high, mid: value.tierShares.mid, version }) : t('value.tooltipTierPlain', { tier, version }),
    rfm: t('value.tooltipRfm', { r: value.rfm?.r ?? '–', f: value.rfm?.f ?? '–', m: value.rfm?.m ?? '–', version }),
    lifecycle: t('value.tooltipLifecycle', { version, alive: value.pAlive === null || value.pAlive === undefined ? '–' : Math.round(value.pAlive * 100) }),
  };
}
