import { useTranslation } from 'react-i18next';
import type { ConnectionStatus } from '@shared/contract/desktop-api';

/** Online state, the outbox backlog and cold-sync progress, always in view. */
export function ConnectionBadge({ status }: { status: ConnectionStatus }) {
  const { t } = useTranslation();
  const { sync } = status;
  const syncing = sync.phase === 'snapshot' && sync.total > 0 && sync.done < sync.total;
  return (
    <div className="connection" data-connection={status.connection} role="status" aria-live="polite">
      <span className="connection-dot" aria-hidden="true" />
      <span data-testid="connection-state">{t(`status.${status.connection}`)}</span>
      {status.outboxPending > 0 && <span className="pill pill-warn" data-testid="outbox-pending">{t('status.pending', { count: status.outboxPending })}</span>}
      {syncing && (
        <span className="sync-progress" data-testid="sync-progress">
          <progress max={sync.total} value={sync.done} /> {t('status.syncing', { done: sync.done.toLocaleString(), total: sync.total.toLocaleString() })}
        </span>
      )}
      {sync.message && <span className="pill pill-warn">{sync.message}</span>}
      {status.notice && <span className="pill pill-warn" data-testid="connection-notice">{status.notice}</span>}
    </div>
  );
}
