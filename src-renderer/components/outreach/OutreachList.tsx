import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OutreachResponse } from '@shared/contract/server-http';
import { outreachList } from '../../state/actions/outreach';
import { useAppStore } from '../../state/app-store';
import { clock, money, percent, shortDate } from '../../format';
import { ReasonList } from './ReasonList';

/** The rules the server filters by, always shown (with 0) so the agent sees they are applied. */
const SKIP_RULES = ['do_not_call', 'outside_calling_hours', 'max_attempts', 'cool_off'] as const;
const REFRESH_MS = 60_000;

/**
 * The ranked outbound list as the server made it: best first, each with why
 * this customer and why now, and how many were left out by each rule. The
 * agent does not dial from here: the top one is offered as a preview when
 * they are ready and no inbound call waits.
 */
export function OutreachList({ limit = 15 }: { limit?: number }) {
  const { t, i18n } = useTranslation();
  const [list, setList] = useState<OutreachResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const offeredId = useAppStore((s) => s.outreach.open?.customerId ?? null);

  const load = useCallback(async () => {
    setLoading(true);
    const result = await outreachList(limit);
    setLoading(false);
    if (result.ok) {
      setList(result.value);
      setError(null);
    } else {
      setError(result.error.message);
    }
  }, [limit]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const skipped = list ? [...SKIP_RULES, ...Object.keys(list.skipped).filter((rule) => !(SKIP_RULES as readonly string[]).includes(rule) && (list.skipped[rule] ?? 0) > 0)] : [];

  return (
    <section className="card outreach-list" data-testid="outreach-list">
      <header className="card-header">
        <h2>{t('outreach.listTitle')}</h2>
        <span className="card-aside">
          {list && <span className="muted small">{t('outreach.updated', { time: clock(list.generatedAt, i18n.language) })}</span>}
          <button type="button" className="btn btn-ghost btn-small" onClick={() => void load()} disabled={loading}>{t('outreach.refresh')}</button>
        </span>
      </header>
      <div className="card-body">
        <p className="muted small outreach-list-hint">{t('outreach.listHint')}</p>
        {error && <p className="notice" role="alert">{t('outreach.loadFailed', { message: error })}</p>}
        {list && list.items.length === 0 && <p className="muted">{t('outreach.empty')}</p>}
        {list && list.items.length > 0 && (
          // Focusable, so the list scrolls with the keyboard too (WCAG 2.1.1).
          <ol className="outreach-rows" tabIndex={0} aria-label={t('outreach.listTitle')}>
            {list.items.map((item) => (
              <li key={item.customerId} className={`outreach-row${item.customerId === offeredId ? ' outreach-row-offered' : ''}`} data-customer-id={item.customerId}>
                <div className="outreach-row-head">
                  <span className="outreach-row-name">
                    <bdi>{item.customerName}</bdi>
                    {item.customerId === offeredId && <span className="pill pill-offered">{t('outreach.offeredNow')}</span>}
                  </span>
                  <span className="outreach-row-figures">
                    <span className="outreach-var" title={t('outreach.valueAtRiskHint')}><bdi>{money(item.valueAtRisk, i18n.language)}</bdi></span>
                    {item.churnRisk !== null && <span className="pill pill-muted" title={t('outreach.churnRiskHint')}>{t('outreach.riskShort', { pct: percent(item.churnRisk) })}</span>}
                    <span className="muted small"><bdi dir="ltr">{item.localTime}</bdi></span>
                  </span>
                </div>
                <div className="outreach-row-why small">
                  <span className="why-label">{t('outreach.whyThis')}:</span> <ReasonList reasons={item.whyThisCustomer} context={item} compact />
                </div>
                <div className="outreach-row-why small">
                  <span className="why-label">{t('outreach.whyNow')}:</span> <ReasonList reasons={item.whyNow} context={item} compact />
                </div>
                {item.lastContactAt && !item.whyNow.some((r) => r.code === 'cool_off_over') && (
                  <div className="muted small">{t('outreach.lastContact', { date: shortDate(item.lastContactAt, i18n.language) })}</div>
                )}
              </li>
            ))}
          </ol>
        )}
        {list && (
          <p className="muted small outreach-skipped" data-testid="outreach-skipped">
            {t('outreach.skippedTitle')}{' '}
            {skipped.map((rule, i) => (
              <span key={rule} data-rule={rule}>
                {i > 0 && ' · '}
                {t(`outreach.rule.${rule}`, { defaultValue: rule.replace(/_/g, ' ') })}: <bdi>{list.skipped[rule] ?? 0}</bdi>
              </span>
            ))}
          </p>
        )}
      </div>
    </section>
  );
}
