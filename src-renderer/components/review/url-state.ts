import { REVIEW_DIMENSIONS, reviewDimensionSchema, reviewFilterSchema, reviewGrainSchema, type ReviewDimension, type ReviewFilter, type ReviewGrain } from '@shared/contract/review';
import { presetRange, REVIEW_PRESETS, type ReviewPreset } from '@shared/supervisor/review-figures';

/**
 * The review's view (tab, range, filters, chart grain, cut, drill-down) kept
 * in the window's URL hash, so a view can be shared as a link and survives a
 * reload: #review?preset=30d&agent=A001&cut=offer&drill=saves
 */
export interface ReviewView {
  tab: 'floor' | 'review' | 'live';
  preset: ReviewPreset | 'custom';
  filter: ReviewFilter;
  grain: ReviewGrain;
  cut: ReviewDimension;
  /** The drill-down open: which calls, with an extra cut value narrowing the filter. */
  drill: { show: 'calls' | 'saves'; dimension?: ReviewDimension; key?: string } | null;
}

export const today = (): string => new Date().toISOString().slice(0, 10);

export function defaultView(): ReviewView {
  return { tab: 'floor', preset: '30d', filter: presetRange('30d', today()), grain: 'day', cut: 'agent', drill: null };
}

export function parseView(hash: string): ReviewView {
  const view = defaultView();
  const [path, search = ''] = hash.replace(/^#/, '').split('?');
  if (path === 'review' || path === 'live') view.tab = path;
  const query = new URLSearchParams(search);
  const preset = query.get('preset');
  if (preset && (REVIEW_PRESETS as readonly string[]).includes(preset)) {
    view.preset = preset as ReviewPreset;
    view.filter = presetRange(view.preset as ReviewPreset, today());
  } else if (query.get('from') && query.get('to')) {
    view.preset = 'custom';
    view.filter = { from: query.get('from')!, to: query.get('to')! };
  }
  for (const dimension of REVIEW_DIMENSIONS) {
    const value = query.get(dimension);
    if (value) view.filter[dimension] = value;
  }
  // A hand-edited link with a bad range falls back to the default range, keeping its cuts.
  const checked = reviewFilterSchema.safeParse(view.filter);
  if (!checked.success) view.filter = { ...view.filter, ...presetRange('30d', today()) };
  const grain = reviewGrainSchema.safeParse(query.get('grain'));
  if (grain.success) view.grain = grain.data;
  const cut = reviewDimensionSchema.safeParse(query.get('cut'));
  if (cut.success) view.cut = cut.data;
  const drill = query.get('drill');
  if (drill === 'calls' || drill === 'saves') {
    const dimension = reviewDimensionSchema.safeParse(query.get('drillBy'));
    const key = query.get('drillKey');
    view.drill = { show: drill, ...(dimension.success && key ? { dimension: dimension.data, key } : {}) };
  }
  return view;
}

export function formatView(view: ReviewView): string {
  if (view.tab === 'floor') return '';
  const query = new URLSearchParams();
  if (view.preset === 'custom') {
    query.set('from', view.filter.from);
    query.set('to', view.filter.to);
  } else query.set('preset', view.preset);
  for (const dimension of REVIEW_DIMENSIONS) {
    const value = view.filter[dimension];
    if (value !== undefined) query.set(dimension, value);
  }
  query.set('grain', view.grain);
  query.set('cut', view.cut);
  if (view.drill) {
    query.set('drill', view.drill.show);
    if (view.drill.dimension && view.drill.key) {
      query.set('drillBy', view.drill.dimension);
      query.set('drillKey', view.drill.key);
    }
  }
  return `#${view.tab}?${query}`;
}

/** The filter of the drill-down: the view's filter narrowed by the row clicked. */
export function drillFilter(view: ReviewView): ReviewFilter {
  const { drill } = view;
  return drill?.dimension && drill.key ? { ...view.filter, [drill.dimension]: drill.key } : view.filter;
}
