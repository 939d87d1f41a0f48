import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AiAuditRow } from '@shared/contract/desktop-api';
import { aiAuditList, aiAuditPayload } from '../../state/actions/ai';
import { useAppStore } from '../../state/app-store';
import { clock, shortDate } from '../../format';
import { failureText } from './failure-text';

interface Payload {
  id: number;
  payload: string;
  payloadSha256: string;
  verified: boolean;
}

/** The request body as chat messages when it is one, so a reader sees the prompt and the data block apart. */
function messagesOf(payload: string): { role: string; content: string }[] | null {
  try {
    const body = JSON.parse(payload) as { messages?: unknown };
    if (!Array.isArray(body.messages)) return null;
    return body.messages.map((m: { role?: unknown; content?: unknown }) => ({ role: String(m.role ?? ''), content: typeof m.content === 'string' ? m.content : JSON.stringify(m.content) }));
  } catch {
    return null;
  }
}

function PayloadView({ payload, row }: { payload: Payload; row: AiAuditRow }) {
  const { t } = useTranslation();
  const messages = messagesOf(payload.payload);
  return (
    <section className="payload" data-testid="ai-payload" aria-label={t('audit.payloadTitle', { host: row.endpointHost })}>
      <header className="payload-head">
        <h3>{t('audit.payloadTitle', { host: row.endpointHost })}</h3>
        <span className={`pill ${payload.verified ? 'band-low' : 'band-high'}`} data-testid="payload-verified">
          {payload.verified ? t('audit.verified') : t('audit.notVerified')}
        </span>
      </header>
      <p className="hash" dir="ltr"><span className="muted">SHA-256</span> <code data-testid="payload-hash">{payload.payloadSha256}</code></p>
      {messages ? (
        messages.map((m, i) => (
          <div key={i} className={`payload-msg role-${m.role}`}>
            <div className="payload-role">{t(`audit.role.${m.role}`, { defaultValue: m.role })}</div>
            <pre dir="ltr" tabIndex={0}>{m.content}</pre>
          </div>
        ))
      ) : (
        <pre dir="ltr" tabIndex={0}>{payload.payload}</pre>
      )}
      <details className="raw-payload">
        <summary>{t('audit.raw')}</summary>
        <pre dir="ltr" tabIndex={0} data-testid="payload-raw">{payload.payload}</pre>
      </details>
    </section>
  );
}

/**
 * "What the AI saw": every request this desk sent to a model, newest first,
 * and for each the exact redacted body and its hash.
 */
export function AiAuditPanel({ onClose }: { onClose(): void }) {
  const { t, i18n } = useTranslation();
  const auditCallId = useAppStore((s) => s.auditCallId);
  const [onlyCall, setOnlyCall] = useState(auditCallId !== null);
  const [rows, setRows] = useState<AiAuditRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<{ row: AiAuditRow; payload: Payload } | null>(null);

  useEffect(() => {
    let live = true;
    const input = onlyCall && auditCallId ? { limit: 200, callId: auditCallId } : { limit: 200 };
    void aiAuditList(input).then((result) => {
      if (!live) return;
      if (result.ok) setRows(result.value);
      else setError(result.error.message);
    });
    return () => {
      live = false;
    };
  }, [onlyCall, auditCallId]);

  async function open(row: AiAuditRow): Promise<void> {
    if (selected?.row.id === row.id) {
      setSelected(null);
      return;
    }
    const result = await aiAuditPayload(row.id);
    if (result.ok) setSelected({ row, payload: result.value });
    else setError(result.error.message);
  }

  return (
    <div className="panel audit">
      <header className="panel-header">
        <h2>{t('audit.title')}</h2>
        {auditCallId && (
          <label className="checkbox small">
            <input type="checkbox" checked={onlyCall} onChange={(e) => setOnlyCall(e.target.checked)} data-testid="audit-this-call" /> {t('audit.thisCall')}
          </label>
        )}
        <button type="button" className="btn btn-ghost" onClick={onClose}>{t('settings.close')}</button>
      </header>
      <p className="muted small">{t('audit.intro')}</p>
      {error && <p className="form-error" role="alert">{error}</p>}
      {rows !== null && rows.length === 0 && <p className="muted" data-testid="audit-empty">{onlyCall && auditCallId ? t('audit.emptyCall') : t('audit.empty')}</p>}
      {rows !== null && rows.length > 0 && (
        <table className="table audit-table" data-testid="audit-table">
          <thead>
            <tr>
              <th>{t('audit.when')}</th>
              <th>{t('audit.who')}</th>
              <th>{t('audit.customer')}</th>
              <th>{t('audit.what')}</th>
              <th>{t('audit.model')}</th>
              <th>{t('audit.tokens')}</th>
              <th>{t('audit.hash')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} className={selected?.row.id === row.id ? 'selected' : ''} data-testid="audit-row" data-audit-id={row.id}
                onClick={() => void open(row)} tabIndex={0} onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && void open(row)} aria-current={selected?.row.id === row.id ? 'true' : undefined}>
                <td><time dateTime={row.at} title={row.at}>{shortDate(row.at, i18n.language)} {clock(row.at, i18n.language)}</time></td>
                <td>{row.agentName ?? row.agentId}</td>
                <td>{row.customerName ?? row.customerId ?? '—'}<div className="muted small" dir="ltr">{row.customerId}</div></td>
                <td>
                  {t(`audit.purpose.${row.purpose}`)}
                  {row.outcome === 'fallback' && <div className="small warn-text">{t('audit.fellBack', { reason: failureText(t, row.fallbackReason) })}</div>}
                </td>
                <td dir="ltr">{row.model}<div className="muted small">{row.endpointHost}</div></td>
                <td className="num" title={t('audit.tokenSplit', { prompt: row.tokens.prompt, completion: row.tokens.completion })}>
                  {row.tokens.estimated ? '≈' : ''}{row.tokens.total.toLocaleString(i18n.language)}
                </td>
                <td><code dir="ltr" title={row.payloadSha256}>{row.payloadSha256.slice(0, 12)}…</code></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && <PayloadView payload={selected.payload} row={selected.row} />}
    </div>
  );
}
