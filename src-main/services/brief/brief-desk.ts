import type { PopView } from '@shared/contract/pop';
import type { CallAttribution } from '../calls/call-attribution';
import type { CallDesk } from '../calls/call-desk';
import { HISTORY_FOR_SUMMARY, offerNamer, type Summariser } from '../calls/pop-builder';
import type { PreferencesDesk } from '../preferences/preferences-desk';
import type { Session, SessionHolder } from '../session/session';

type Summary = PopView['summary'];

/**
 * The brief on the pop: the on-device one paints with the pop; the model's
 * is fetched while the call still rings (the prefetch) and streamed in,
 * bullet by bullet, through the call desk's state.
 */
export class BriefDesk {
  /** Bumped for every brief started: the events of an older one are ignored. */
  private run = 0;

  constructor(
    private readonly sessions: SessionHolder,
    private readonly calls: CallDesk,
    private readonly preferences: PreferencesDesk,
    private readonly attribution: CallAttribution,
    private readonly summarise: Summariser,
  ) {
    calls.onCustomerShown((session, callId) => this.start(session, callId));
    preferences.onLanguageChanged(() => this.redo());
  }

  /** Starts the model's brief for the call on screen (nothing without an endpoint). */
  start(session: Session, callId: string): void {
    const customer = this.calls.current?.pop.customer;
    if (customer) this.attribution.remember(customer.id, callId);
    if (!session.aiModel) return;
    const run = ++this.run;
    // After this turn, so building and redacting the prompt never delays the pop.
    setImmediate(() => void this.stream(session, callId, run));
  }

  /** Redoes the brief on screen in the current language and with the current endpoint: on-device at once, the model's streaming after. */
  redo(): void {
    const session = this.sessions.current;
    const current = this.calls.current;
    if (!session || !current?.pop.customer) return;
    const language = this.preferences.language;
    const history = session.cache.customers.recentInteractions(current.pop.customer.id, HISTORY_FOR_SUMMARY).reverse();
    this.run++;
    const bullets = this.summarise(history, language, offerNamer(session.cache, language)).bullets;
    this.calls.setSummary(current.pop.call.id, { source: 'on-device', model: null, bullets, status: session.aiModel ? 'pending' : 'done', fallbackReason: null, language });
    this.start(session, current.pop.call.id);
  }

  private async stream(session: Session, callId: string, run: number): Promise<void> {
    const stale = (): boolean => run !== this.run || !this.sessions.isCurrent(session) || !this.calls.onScreen(callId);
    const customer = this.calls.current?.pop.customer;
    if (stale() || !customer) return;
    const language = this.preferences.language;
    const model = session.aiModel;
    const history = session.cache.customers.recentInteractions(customer.id, HISTORY_FOR_SUMMARY);
    const bullets: string[] = [];
    const show = (summary: Summary): void => this.calls.setSummary(callId, summary);
    try {
      // Leaving the loop early detaches this listener only: the run goes on and its brief is cached.
      const offerName = offerNamer(session.cache, language);
      for await (const event of session.ai.streamBrief(customer, history, { agentId: session.agent.id, language, offerName })) {
        if (stale()) return;
        if (event.type === 'bullet') {
          // On-device bullets are already on screen; only the model's replace them.
          if (event.source !== 'model') continue;
          bullets.push(event.text);
          show({ source: 'model', model, bullets: [...bullets], status: 'streaming', fallbackReason: null, language });
        } else {
          const { result } = event;
          show({ source: result.source, model: result.model, bullets: [...result.bullets], status: 'done', fallbackReason: result.fallbackReason, language: result.language });
        }
      }
    } catch {
      if (stale()) return;
      const onDevice = this.summarise([...history].reverse(), language, offerNamer(session.cache, language)).bullets;
      show({ source: 'on-device', model: null, bullets: onDevice, status: 'done', fallbackReason: 'internal-error', language });
    }
  }
}
