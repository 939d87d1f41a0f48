import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReviewCall, ReviewCohort, ReviewCut, ReviewSummary, ReviewTrend as Trend } from '@shared/contract/review';
import { reviewCalls, reviewCohort, reviewCut, reviewExport, reviewSummary, reviewTrend } from '../../state/actions/review';
import { CohortCard } from './CohortCard';
import { ReviewCalls } from './ReviewCalls';
import { ReviewCutTable } from './ReviewCutTable';
import { ReviewFilters } from './ReviewFilters';
import { ReviewKpis } from './ReviewKpis';
import { ReviewTrend } from './ReviewTrend';
import { drillFilter, type ReviewView } from './url-state';

const PAGE = 25;

/** The retention review: range and filters, headline figures, trend, cuts, drill-down, cohort and export. */
export function ReviewPanel({ view, onChange }: { view: ReviewView; onChange(view: ReviewView): void }) {
  const { t } = useTranslation();
  const [summary, setSummary] = useState<ReviewSummary | null>(null);
  const [trend, setTrend] = useState<Trend | null>(null);
  const [cut, setCut] = useState<ReviewCut | null>(null);
  const [cohort, setCohort] = useState<ReviewCohort | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [calls, setCalls] = useState<{ rows: ReviewCall[]; next: string | null; busy: boolean }>({ rows: [], next: null, busy: false });
  const [exporting, setExporting] = useState(false);
  const [exportNote, setExportNote] = useState<string | null>(null);
  const filterKey = JSON.stringify(view.filter);

  useEffect(() => {
    let on = true;
    const failed = (message: string): void => {
      if (on) setError(message);
    };
    setError(null);
    void reviewSummary({ filter: view.filter }).then((r) => (r.ok ? on && setSummary(r.value) : failed(r.error.message)));
    void reviewCohort({ filter: view.filter }).then((r) => (r.ok ? on && setCohort(r.value) : failed(r.error.message)));
    return () => {
      on = false;
    };
    // Keyed on the filter's content (filterKey), not its identity: a re-render with the same filter asks nothing again.
  }, [filterKey]);
  useEffect(() => {
    let on = true;
    void reviewTrend({ filter: view.filter, grain: view.grain }).then((r) => on && r.ok && setTrend(r.value));
    return () => {
      on = false;
    };
  }, [filterKey, view.grain]);
  useEffect(() => {
    let on = true;
    setCut(null);
    void reviewCut({ filter: view.filter, dimension: view.cut }).then((r) => on && r.ok && setCut(r.value));
    return () => {
      on = false;
    };
  }, [filterKey, view.cut]);

  const drillKey = JSON.stringify([view.filter, view.drill]);
  useEffect(() => {
    let on = true;
    setCalls({ rows: [], next: null, busy: Boolean(view.drill) });
    if (view.drill) {
      void reviewCalls({ filter: drillFilter(view), show: view.drill.show, limit: PAGE }).then((r) => {
        if (!on) return;
        if (r.ok) setCalls({ rows: r.value.calls, next: r.value.next, busy: false });
        else setError(r.error.message);
      });
    }
    return () => {
      on = false;
    };
  }, [drillKey]);

  const more = (): void => {
    if (!view.drill || !calls.next) return;
    setCalls((c) => ({ ...c, busy: true }));
    void reviewCalls({ filter: drillFilter(view), show: view.drill.show, cursor: calls.next, limit: PAGE }).then((r) => {
      if (r.ok) setCalls((c) => ({ rows: [...c.rows, ...r.value.calls], next: r.value.next, busy: false }));
    });
  };

  const exportCsv = (): void => {
    setExporting(true);
    setExportNote(null);
    void reviewExport({ filter: view.drill ? drillFilter(view) : view.filter, show: view.drill?.show ?? 'calls' }).then((r) => {
      setExporting(false);
      setExportNote(r.ok
        ? t('review.export.done', { file: r.value.file, size: `${Math.max(1, Math.round(r.value.bytes / 1024))} KB` })
        : t('review.export.failed', { message: r.error.message }));
    });
  };

  return (
    <div className="review" data-testid="review">
      <ReviewFilters view={view} onChange={onChange} onExport={exportCsv} exporting={exporting} exportNote={exportNote} />
      {error && <p className="card card-body" role="alert">{t('review.failed', { message: error })}</p>}
      {summary ? <ReviewKpis summary={summary} onDrill={(show) => onChange({ ...view, drill: { show } })} /> : <p className="muted">{t('review.loading')}</p>}
      {summary?.verified === 'pending' && <p className="muted small" data-testid="verified-pending">{t('review.verifiedPending')} — {t('review.verifiedHint')}</p>}
      {view.drill && (
        <ReviewCalls calls={calls.rows} show={view.drill.show} done={calls.next === null} busy={calls.busy} onMore={more} onClose={() => onChange({ ...view, drill: null })} />
      )}
      <ReviewTrend trend={trend} grain={view.grain} onGrain={(grain) => onChange({ ...view, grain })} />
      <ReviewCutTable
        cut={cut}
        dimension={view.cut}
        onDimension={(dimension) => onChange({ ...view, cut: dimension })}
        onDrill={(show, key) => onChange({ ...view, drill: { show, dimension: view.cut, key } })}
        onFilter={(key) => onChange({ ...view, filter: { ...view.filter, [view.cut]: key }, drill: null })}
      />
      <CohortCard cohort={cohort} />
    </div>
  );
}
