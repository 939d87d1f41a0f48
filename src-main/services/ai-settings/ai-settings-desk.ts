import type { AiAuditRow, aiMethods, ConnectionTest } from '@shared/contract/desktop-api';
import { createAiClient, sha256Hex, type AiClient, type AiClientConfigInput } from '../ai/index';
import type { LocalCache } from '../cache/local-cache';
import type { CallAttribution } from '../calls/call-attribution';
import { BackendError } from '../desk/backend-error';
import type { Handlers, MethodsOf, ParsedInput } from '../desk/desk';
import type { Session, SessionHolder } from '../session/session';
import type { AiSettingsStore } from './ai-settings';
import { cacheAuditSink } from './audit-log';

/**
 * The AI endpoint: its settings, a connection test, the client a session
 * uses (rebuilt when the settings change), and the audit log of every call
 * made to a model.
 */
export class AiSettingsDesk {
  private readonly reconfiguredListeners = new Set<() => void>();

  constructor(
    private readonly sessions: SessionHolder,
    private readonly attribution: CallAttribution,
    private readonly overrides: Partial<AiClientConfigInput> | undefined,
  ) {}

  readonly handlers: Handlers<MethodsOf<typeof aiMethods>> = {
    'ai.settings.get': () => this.sessions.require().aiSettings.view(),
    'ai.settings.save': async (input) => {
      const session = this.sessions.require();
      const view = await session.aiSettings.save(input);
      await this.reconfigure(session);
      return view;
    },
    'ai.testConnection': (input) => this.testConnection(this.sessions.require(), input),
    'ai.audit.list': ({ limit, callId }) => this.auditRows(this.sessions.require(), limit, callId),
    'ai.audit.payload': ({ id }) => {
      const row = this.sessions.require().cache.aiAudit.payload(id);
      if (!row) throw new BackendError('not_found', `No AI audit entry ${id}`);
      return { id, payload: row.payload, payloadSha256: row.payloadSha256, verified: sha256Hex(row.payload) === row.payloadSha256 };
    },
  };

  /** The endpoint changed: the brief on screen is redone with it (or settles on-device without one). */
  onReconfigured(listener: () => void): void {
    this.reconfiguredListeners.add(listener);
  }

  /** The AI client for a user's saved settings, its audit going into their cache. */
  async createClient(cache: LocalCache, settings: AiSettingsStore): Promise<{ ai: AiClient; model: string | null }> {
    const audit = cacheAuditSink(cache, (record) => this.attribution.callFor(record.customerId));
    const config = await settings.clientConfig(this.overrides);
    try {
      return { ai: createAiClient({ config, audit }), model: config?.model ?? null };
    } catch {
      // Settings that no longer parse (an older app wrote them) must not stop the desk: on-device until fixed.
      return { ai: createAiClient({ config: null, audit }), model: null };
    }
  }

  private async reconfigure(session: Session): Promise<void> {
    const previous = session.ai;
    const { ai, model } = await this.createClient(session.cache, session.aiSettings);
    session.ai = ai;
    session.aiModel = model;
    previous.dispose();
    if (this.sessions.isCurrent(session)) for (const listener of this.reconfiguredListeners) listener();
  }

  private async testConnection(session: Session, input: ParsedInput<'ai.testConnection'>): Promise<ConnectionTest> {
    const config = await session.aiSettings.trialConfig(input, this.overrides);
    if (!config) return { ok: false, latencyMs: 0, models: [], modelAvailable: null, failure: 'not-configured' };
    let client: AiClient;
    try {
      client = createAiClient({ config, audit: { record: () => undefined } });
    } catch {
      return { ok: false, latencyMs: 0, models: [], modelAvailable: null, failure: 'bad-request' };
    }
    try {
      const result = await client.testConnection();
      return result.ok
        ? { ok: true, latencyMs: Math.round(result.latencyMs), models: [...result.models], modelAvailable: result.modelAvailable, failure: null }
        : { ok: false, latencyMs: Math.round(result.latencyMs), models: [], modelAvailable: null, failure: result.failure };
    } finally {
      client.dispose();
    }
  }

  private auditRows(session: Session, limit: number, callId: string | undefined): AiAuditRow[] {
    const names = new Map<string, string | null>();
    const customerName = (id: string | null): string | null => {
      if (id === null) return null;
      if (!names.has(id)) {
        const customer = session.cache.customers.get(id);
        names.set(id, customer ? `${customer.givenName} ${customer.familyName}` : null);
      }
      return names.get(id) ?? null;
    };
    const agentName = (id: string): string | null => (id === session.agent.id ? session.agent.displayName : session.cache.reference.agent(id)?.displayName ?? null);
    return session.cache.aiAudit.summaries(limit, callId).map((row) => ({ ...row, agentName: agentName(row.agentId), customerName: customerName(row.customerId) }));
  }
}
