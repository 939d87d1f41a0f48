import type { OutcomeBreakdown, supervisorMethods } from '@shared/contract/desktop-api';
import { supervisorStateSchema, type SupervisorState } from '@shared/contract/server-socket';
import type { OutcomeRecord } from '@shared/domain/wrap-up';
import { outcomeBreakdown } from '@shared/supervisor/outcome-breakdown';
import { offerIn } from '@shared/playbook/scripts';
import type { Handlers, MethodsOf } from '../desk/desk';
import type { DesktopEventBus } from '../desk/event-bus';
import type { DeskLogger } from '../desk/logger';
import type { ServerHttpClient } from '../server-link/server-http-client';
import { request } from '../server-link/server-socket';
import type { Session, SessionHolder } from '../session/session';
import { OutcomeLog } from './outcome-log';

/** Outcomes shown in the supervisor's live list. */
const RECENT_OUTCOMES = 50;

/** The supervisor's floor: live state, the outcome breakdowns and the agent editor. */
export class SupervisorDesk {
  private state: SupervisorState | null = null;
  private readonly outcomes = new OutcomeLog();

  constructor(
    private readonly sessions: SessionHolder,
    private readonly events: DesktopEventBus,
    private readonly http: ServerHttpClient,
    private readonly log: DeskLogger,
    /** The UI language, for offer names in the breakdown. */
    private readonly language: () => string = () => 'en',
  ) {
    sessions.onConnected((session) => void this.subscribe(session));
    sessions.onEnded(() => {
      this.state = null;
      this.outcomes.clear();
    });
  }

  readonly handlers: Handlers<MethodsOf<typeof supervisorMethods>> = {
    'supervisor.state': () => this.state,
    'supervisor.breakdown': () => this.breakdown(this.sessions.require()),
    // Roles are the server's to enforce: an agent asking gets its 403 back as data.
    'agents.list': () => this.http.agents(this.sessions.require().token),
    'agents.update': ({ agentId, changes }) => this.http.updateAgent(this.sessions.require().token, agentId, changes),
  };

  /** The whole floor, from the server (on subscribe and on every change it pushes). */
  received(state: SupervisorState): void {
    this.outcomes.add(state.outcomes);
    this.state = state;
    this.events.emit('supervisor.changed', state);
  }

  /** One new outcome: into the breakdowns and at the head of the live list. */
  outcome(outcome: OutcomeRecord): void {
    if (!this.state) return;
    this.outcomes.add([outcome]);
    const recent = [outcome, ...this.state.outcomes.filter((o) => o.id !== outcome.id)].slice(0, RECENT_OUTCOMES);
    this.received({ ...this.state, outcomes: recent });
  }

  private async subscribe(session: Session): Promise<void> {
    if (session.agent.role !== 'supervisor') return;
    try {
      const { state: raw } = await request(session.socket, 'supervisor:subscribe', {});
      const state = supervisorStateSchema.safeParse(raw);
      if (state.success) this.received(state.data);
      else this.log.warn({ event: 'supervisor:subscribe', reason: state.error.issues[0]?.message }, 'server answer does not match the contract; ignored');
    } catch {
      // The next connect retries.
    }
  }

  private breakdown(session: Session): OutcomeBreakdown {
    const offers = new Map((session.cache.reference.playbook()?.offers ?? []).map((o) => [o.id, offerIn(o, this.language()).name]));
    const outcomes = [...this.outcomes.values()];
    // The value tier the server stamped on each outcome: the segment's tier while this desk's cache has no scores yet.
    const tierOf = new Map(outcomes.flatMap((o) => (o.valueTier ? [[o.customerId, o.valueTier] as const] : [])));
    return outcomeBreakdown(outcomes, {
      // Routing's segment (value tier x churn band) from the customer's scores in this desk's cache.
      segmentOf: (customerId) => {
        const scores = session.cache.customers.scores(customerId);
        return scores ? `${scores.valueTier}-${scores.churnBand}` : tierOf.get(customerId) ?? 'unscored';
      },
      offerName: (offerId) => offers.get(offerId) ?? offerId,
    });
  }
}
