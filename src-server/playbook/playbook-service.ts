import type { PlaybookResponse, PublishPlaybookRequest, PublishPlaybookResult, ScriptFunnelResponse } from '@shared/contract/playbook-http';
import { checkPlaybook } from '@shared/playbook/check';
import type { Logger } from 'pino';
import type { PlaybookStore } from '../store/roles/playbook-store';

/** How far back the funnel looks by default. */
const FUNNEL_DAYS = 90;

/**
 * The playbook as supervisors edit it: read with its history, published as
 * a new version after the same check `npm run playbook:check` runs, and
 * counted as a funnel from the wrap-ups. A published version reaches the
 * desktops through the change feed, like every other feed document.
 */
export class PlaybookService {
  constructor(
    private readonly store: PlaybookStore,
    private readonly feedMoved: () => void,
    private readonly log: Pick<Logger, 'info'>,
  ) {}

  async current(): Promise<PlaybookResponse> {
    const [playbook, versions] = await Promise.all([this.store.playbook(), this.store.playbookVersions()]);
    return { playbook, versions };
  }

  async publish(request: PublishPlaybookRequest, by: string): Promise<PublishPlaybookResult> {
    const check = checkPlaybook(request.playbook);
    if (!check.ok || !check.playbook) return { status: 'invalid', problems: check.problems };
    const result = await this.store.publishPlaybook(check.playbook, request.baseVersion, by, new Date().toISOString());
    if ('conflict' in result) return { status: 'conflict', currentVersion: result.currentVersion };
    this.log.info({ version: result.version, by }, 'playbook published');
    this.feedMoved();
    return { status: 'published', playbook: result, warnings: check.problems };
  }

  async funnel(sinceIso?: string): Promise<ScriptFunnelResponse> {
    const since = sinceIso ?? new Date(Date.now() - FUNNEL_DAYS * 86_400_000).toISOString();
    return { since, funnels: await this.store.scriptFunnel(since) };
  }
}
