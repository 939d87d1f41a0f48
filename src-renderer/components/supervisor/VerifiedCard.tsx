import { useTranslation } from 'react-i18next';
import type { ChurnModelReview, VerifiedFigures } from '@shared/contract/server-socket';
import { clock, percent } from '../../format';

/**
 * Claimed saves (the wrap-ups) against what billing's account events
 * verified at each horizon, and the churn model's last retrainings
 * (champion against challenger on the newest labels). A first, small view;
 * the retention review screen goes deeper.
 */
export function VerifiedCard({ verified, models }: { verified: VerifiedFigures | undefined; models: ChurnModelReview | undefined }) {
  const { t, i18n } = useTranslation();
  const overall = verified?.overall;
  const rate = verified?.verificationRate;
  const trials = models?.trials.slice(0, 3) ?? [];
  const metric = (x: number | null | undefined, digits: number): string => (x === null || x === undefined ? '—' : x.toFixed(digits));
  return (
    <section className="card" data-testid="verified-card">
      <header className="card-header"><h2>{t('verified.title')}</h2></header>
      {!overall || overall.claimedSaves === 0 ? <p className="muted card-body">{t('verified.none')}</p> : (
        <table className="table" data-testid="verified-table">
          <thead><tr><th>{t('verified.horizon')}</th><th>{t('verified.claimed')}</th><th>{t('verified.stayed')}</th><th>{t('verified.left')}</th><th>{t('verified.tooEarly')}</th></tr></thead>
          <tbody>
            {overall.horizons.map((h) => (
              <tr key={h.days} data-horizon={h.days}>
                <td>{t('verified.days', { count: h.days })}</td>
                <td>{overall.claimedSaves}</td>
                <td>{h.stayed}{h.stayed + h.left > 0 ? <span className="muted"> · {percent(h.stayed / (h.stayed + h.left))}</span> : null}</td>
                <td>{h.left}</td>
                <td>{h.tooEarly}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rate && rate.resolved > 0 ? <p className="muted card-body" data-testid="verification-rate">{t('verified.rate', { verified: rate.verified, resolved: rate.resolved, days: verified?.learnHorizonDays ?? 0 })}</p> : null}
      <h3 className="card-subtitle">{t('verified.models')}</h3>
      {trials.length === 0 ? <p className="muted card-body">{t('verified.noModels')}</p> : (
        <table className="table" data-testid="churn-models-table">
          <thead><tr><th>{t('verified.when')}</th><th>{t('verified.champion')}</th><th>{t('verified.challenger')}</th><th>{t('verified.result')}</th></tr></thead>
          <tbody>
            {trials.map((trial) => (
              <tr key={trial.at + trial.challenger.modelVersion} title={trial.reason}>
                <td>{clock(trial.at, i18n.language)}</td>
                <td>{trial.champion ? <>AUC {metric(trial.champion.auc, 3)} · Brier {metric(trial.champion.brier, 3)}</> : '—'}</td>
                <td>AUC {metric(trial.challenger.auc, 3)} · Brier {metric(trial.challenger.brier, 3)}</td>
                <td><span className={`pill ${trial.published ? 'pill-ok' : 'pill-muted'}`}>{t(trial.published ? 'verified.published' : 'verified.kept')}</span></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
