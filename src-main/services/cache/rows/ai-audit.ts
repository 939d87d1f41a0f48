import type Database from 'better-sqlite3-multiple-ciphers';

/** One model call as stored for the "What the AI saw" view. */
export interface AiAuditEntry {
  at: string;
  agentId: string;
  callId: string | null;
  customerId: string | null;
  purpose: 'brief' | 'wrapup';
  model: string;
  endpointHost: string;
  payloadSha256: string;
  payload: string;
  tokens: { prompt: number; completion: number; total: number; estimated: boolean };
  outcome: 'ok' | 'fallback';
  fallbackReason: string | null;
  attempts: number;
  latencyMs: number;
  firstTokenMs: number | null;
}
export type AiAuditSummary = Omit<AiAuditEntry, 'payload'> & { id: number; payloadBytes: number };

type Row = Record<string, unknown>;

const SUMMARY_COLUMNS = `id, at, agent_id, call_id, customer_id, purpose, model, endpoint_host, payload_sha256, length(CAST(payload AS BLOB)) AS payload_bytes,
      prompt_tokens, completion_tokens, total_tokens, tokens_estimated, outcome, fallback_reason, attempts, latency_ms, first_token_ms`;

function summaryOf(r: Row): AiAuditSummary {
  return {
    id: Number(r.id),
    at: String(r.at),
    agentId: String(r.agent_id),
    callId: r.call_id === null ? null : String(r.call_id),
    customerId: r.customer_id === null ? null : String(r.customer_id),
    purpose: r.purpose as AiAuditEntry['purpose'],
    model: String(r.model),
    endpointHost: String(r.endpoint_host),
    payloadSha256: String(r.payload_sha256),
    payloadBytes: Number(r.payload_bytes),
    tokens: { prompt: Number(r.prompt_tokens), completion: Number(r.completion_tokens), total: Number(r.total_tokens), estimated: Number(r.tokens_estimated) === 1 },
    outcome: r.outcome as AiAuditEntry['outcome'],
    fallbackReason: r.fallback_reason === null ? null : String(r.fallback_reason),
    attempts: Number(r.attempts),
    latencyMs: Number(r.latency_ms),
    firstTokenMs: r.first_token_ms === null ? null : Number(r.first_token_ms),
  };
}

/** The AI audit log (ai_audit): every model call with the exact redacted payload it sent and that payload's SHA-256. */
export class AiAuditRows {
  private readonly insertRow: Database.Statement;
  private readonly trim: Database.Statement<[number]>;
  private readonly newest: Database.Statement<[number], Row>;
  private readonly newestOfCall: Database.Statement<[string, number], Row>;
  private readonly payloadOf: Database.Statement<[number], { payload: string; payload_sha256: string }>;

  constructor(private readonly db: Database.Database) {
    this.insertRow = db.prepare(`INSERT INTO ai_audit (at, agent_id, call_id, customer_id, purpose, model, endpoint_host, payload_sha256, payload,
          prompt_tokens, completion_tokens, total_tokens, tokens_estimated, outcome, fallback_reason, attempts, latency_ms, first_token_ms)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.trim = db.prepare('DELETE FROM ai_audit WHERE id <= ?');
    this.newest = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM ai_audit ORDER BY id DESC LIMIT ?`);
    this.newestOfCall = db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM ai_audit WHERE call_id = ? ORDER BY id DESC LIMIT ?`);
    this.payloadOf = db.prepare('SELECT payload, payload_sha256 FROM ai_audit WHERE id = ?');
  }

  /** Stores one model call and keeps only the newest `keep` rows. Returns the row id. */
  insert(entry: AiAuditEntry, keep = 5_000): number {
    return this.db.transaction(() => {
      const result = this.insertRow.run(
        entry.at, entry.agentId, entry.callId, entry.customerId, entry.purpose, entry.model, entry.endpointHost, entry.payloadSha256, entry.payload,
        entry.tokens.prompt, entry.tokens.completion, entry.tokens.total, entry.tokens.estimated ? 1 : 0, entry.outcome, entry.fallbackReason,
        entry.attempts, entry.latencyMs, entry.firstTokenMs,
      );
      const id = Number(result.lastInsertRowid);
      this.trim.run(id - keep);
      return id;
    })();
  }

  /** Newest first, without the payloads (they can be large). */
  summaries(limit: number, callId?: string): AiAuditSummary[] {
    const rows = callId === undefined ? this.newest.all(limit) : this.newestOfCall.all(callId, limit);
    return rows.map(summaryOf);
  }

  payload(id: number): { payload: string; payloadSha256: string } | null {
    const row = this.payloadOf.get(id);
    return row ? { payload: row.payload, payloadSha256: row.payload_sha256 } : null;
  }
}
