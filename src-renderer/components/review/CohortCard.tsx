import { useTranslation } from 'react-i18next';
import type { ReviewCohort } from '@shared/contract/review';
import { percent } from '../../format';

/** Survival of the claimed-saved customers beside at-risk customers nobody contacted, by days since contact. */
export function CohortCard({ cohort }: { cohort: ReviewCohort | null }) {
  const { t } = useTranslation();
  const days = cohort?.groups[0]?.points.map((p) => p.days) ?? [];
  return (
    <section className="card" data-testid="review-cohort">
      <header className="card-header"><h2>{t('review.cohort.title')}</h2></header>
      {!cohort ? <p className="muted card-body">{t('review.loading')}</p> : (
        <div className="table-scroll">
          <table className="table table-compact">
            <thead>
              <tr>
                <th scope="col" />
                {days.map((d) => <th scope="col" key={d} className="num">{t('review.cohort.days', { count: d })}</th>)}
              </tr>
            </thead>
            <tbody>
              {cohort.groups.map((g) => (
                <tr key={g.group} data-group={g.group}>
                  <th scope="row">
                    {t(`review.cohort.${g.group}`)}
                    <div className="muted small">{t('review.cohort.customers', { count: g.customers })}{g.sampled && <> · {t('review.cohort.sampled', { count: 2000 })}</>}</div>
                  </th>
                  {g.points.map((p) => (
                    <td key={p.days} className="num">
                      {p.survival === null ? <span className="muted small">{t('review.cohort.noData')}</span> : (
                        <>
                          <bdi>{percent(p.survival)}</bdi> <span className="muted small"><bdi dir="ltr">{p.active}/{p.atRisk}</bdi></span>
                          {p.interval && <div className="muted small"><bdi dir="ltr">[{percent(p.interval[0])}–{percent(p.interval[1])}]</bdi></div>}
                          {p.tooSmall && <div className="review-small">{t('review.tooSmall')}</div>}
                        </>
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="muted small card-body">{t('review.cohort.hint')}</p>
        </div>
      )}
    </section>
  );
}
