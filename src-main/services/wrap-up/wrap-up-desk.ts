import { randomUUID } from 'node:crypto';
import type { SaveWrapUpInput, WrapUpDraftView, wrapUpMethods } from '@shared/contract/desktop-api';
import type { WrapUp } from '@shared/domain/wrap-up';
import { BackendError } from '../desk/backend-error';
import type { Handlers, MethodsOf } from '../desk/desk';
import type { CallAttribution } from '../calls/call-attribution';
import type { CallDesk } from '../calls/call-desk';
import { attributeSummary, type SummaryAuthor } from '../calls/summary-author';
import { parseTranscript } from '../calls/transcript';
import type { PreferencesDesk } from '../preferences/preferences-desk';
import type { Session, SessionHolder } from '../session/session';
import type { StatusDesk } from '../status/status-desk';

/** Wrap-up drafts of calls that never got saved are dropped after this long. */
export const DRAFT_RETENTION_MS = 7 * 24 * 3_600_000;

/**
 * The wrap-up: the form autosaved as it is typed, the drafted summary, and
 * the save, which goes to the outbox first and to the server when it can.
 */
export class WrapUpDesk {
  constructor(
    private readonly sessions: SessionHolder,
    private readonly calls: CallDesk,
    private readonly status: StatusDesk,
    private readonly preferences: PreferencesDesk,
    private readonly attribution: CallAttribution,
  ) {
    sessions.onStarted((session) => session.cache.wrapUpDrafts.prune(new Date(Date.now() - DRAFT_RETENTION_MS).toISOString()));
  }

  readonly handlers: Handlers<MethodsOf<typeof wrapUpMethods>> = {
    'wrapUp.save': (input) => this.save(this.sessions.require(), input),
    'wrapUp.draft': ({ callId, notes, transcript }) => this.draft(this.sessions.require(), callId, notes, transcript ?? ''),
    'wrapUp.autosave': (form) => {
      const session = this.sessions.require();
      const current = this.calls.current;
      // A timer firing after the save (or for a call that is gone) must not bring a draft back.
      if (current?.pop.call.id !== form.callId) return { ok: true as const };
      session.cache.wrapUpDrafts.putForm(form.callId, current.pop.customer?.id ?? null, form, new Date().toISOString());
      return { ok: true as const };
    },
    'wrapUp.restore': ({ callId }) => this.sessions.require().cache.wrapUpDrafts.saved(callId),
  };

  private save(session: Session, input: SaveWrapUpInput): { id: string } {
    const { summaryAuthor: claimed, ...fields } = input;
    const script = this.calls.current?.pop.call.id === input.callId ? this.calls.current.pop.script : null;
    const wrapUp: WrapUp = {
      ...fields,
      // Where the call got to in its script: the supervisor's funnel counts reached, kept and lost per step.
      script: script ? { scriptId: script.scriptId, version: script.version, path: script.path.slice(0, 200) } : null,
      id: randomUUID(),
      agentId: session.agent.id,
      summaryAuthor: this.summaryAuthorFor(session, input, claimed),
      createdAt: new Date().toISOString(),
    };
    session.cache.outbox.saveWrapUp(wrapUp);
    session.cache.wrapUpDrafts.delete(input.callId);
    this.calls.saved(input.callId);
    this.status.changed();
    if (session.socket.connected) void session.outbox.flush(session.socket);
    return { id: wrapUp.id };
  }

  private async draft(session: Session, callId: string, notes: string, transcriptText: string): Promise<WrapUpDraftView> {
    const current = this.calls.current;
    if (current?.pop.call.id !== callId) throw new BackendError('no_such_call', `Call ${callId} is not on this desk`);
    const customer = current.pop.customer;
    if (!customer) throw new BackendError('unknown_customer', 'The caller is not identified, so there is nothing to draft for');
    const transcript = parseTranscript(transcriptText);
    const now = new Date().toISOString();
    this.attribution.remember(customer.id, callId);
    const result = await session.ai.draftWrapUp(
      { customer, notes, ...(transcript.length > 0 ? { transcript } : {}), now },
      { agentId: session.agent.id, language: this.preferences.language },
    );
    const author: SummaryAuthor = result.source === 'model' && result.model ? `model:${result.model}` : 'on-device';
    const draft: WrapUpDraftView = {
      source: author === 'on-device' ? 'on-device' : 'model',
      model: author === 'on-device' ? null : result.model,
      author,
      summary: result.summary,
      disposition: result.disposition,
      confidence: result.confidence,
      cue: result.cue,
      followUps: result.followUps.map((f) => ({ kind: f.kind, text: f.text, due: f.due, amount: f.amount })),
      fallbackReason: result.fallbackReason,
      createdAt: now,
    };
    if (session.cache.isOpen) session.cache.wrapUpDrafts.putResult(callId, customer.id, draft, now);
    return draft;
  }

  /** Applies the rule in summary-author.ts; a claimed drafter must match a draft this desk made for the call. */
  private summaryAuthorFor(session: Session, input: Omit<SaveWrapUpInput, 'summaryAuthor'>, claimed: SummaryAuthor | undefined): SummaryAuthor {
    const draft = session.cache.wrapUpDrafts.saved(input.callId)?.draft ?? null;
    if (claimed === 'agent') return 'agent';
    if (claimed !== undefined) {
      if (draft?.author !== claimed) throw new BackendError('invalid_input', `wrapUp.save: summaryAuthor ${claimed} does not match a draft made for this call`);
      return claimed;
    }
    return attributeSummary(input.summary, draft ? { author: draft.author, text: [draft.summary, ...draft.followUps.map((f) => f.text)].join('\n') } : null);
  }
}
