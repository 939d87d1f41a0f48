import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { reviewMethods } from '@shared/contract/desktop-api';
import type { Handlers, MethodsOf } from '../desk/desk';
import type { ServerHttpClient } from '../server-link/server-http-client';
import type { SessionHolder } from '../session/session';

/**
 * The supervisor's retention review: every figure is the routing server's
 * (which checks the role: an agent asking gets its 403 back as data); this
 * desk only passes the filter on and saves exports to disk.
 */
export class ReviewDesk {
  constructor(
    private readonly sessions: SessionHolder,
    private readonly http: ServerHttpClient,
    /** Where exports are written. */
    private readonly exportDir: string,
  ) {}

  private token(): string {
    return this.sessions.require().token;
  }

  readonly handlers: Handlers<MethodsOf<typeof reviewMethods>> = {
    'review.summary': ({ filter }) => this.http.reviewSummary(this.token(), filter),
    'review.trend': ({ filter, grain }) => this.http.reviewTrend(this.token(), filter, grain),
    'review.cut': ({ filter, dimension }) => this.http.reviewCut(this.token(), filter, dimension),
    'review.calls': ({ filter, show, cursor, limit }) => this.http.reviewCalls(this.token(), filter, { show, cursor, limit }),
    'review.cohort': ({ filter }) => this.http.reviewCohort(this.token(), filter),
    'review.live': () => this.http.reviewLive(this.token()),
    'review.export': async ({ filter, show }) => {
      mkdirSync(this.exportDir, { recursive: true, mode: 0o700 });
      // Named after the view and the moment, so a second export of the same view does not overwrite the first.
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      const file = join(this.exportDir, `holdfast-review-${filter.from}-to-${filter.to}-${show}-${stamp}.csv`);
      const { bytes } = await this.http.reviewExport(this.token(), filter, show, file);
      return { file, bytes };
    },
  };
}
