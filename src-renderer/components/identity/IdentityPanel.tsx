import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CustomerProfile } from '@shared/domain/customer';
import { percent } from '../../format';
import { sourceLabel } from './lineage';
import { MergePanel } from './MergePanel';
import { SplitPanel } from './SplitPanel';

export interface DoneMessage {
  key: 'identity.splitDone' | 'identity.mergeDone';
  values: Record<string, string | number>;
}

/** Below this a link is shown as doubtful: the agent may want to check it with the caller. */
const DOUBTFUL = 0.8;

/**
 * How the profile was put together from the source systems, how sure each
 * link is, and the agent's way out when it is wrong: split records off, or
 * merge another profile in.
 */
export function IdentityPanel({ customer }: { customer: CustomerProfile }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'split' | 'merge' | null>(null);
  // Kept as a key, so the message follows a change of UI language.
  const [done, setDone] = useState<DoneMessage | null>(null);
  const identity = customer.identity;
  if (!identity) return null;
  const links = identity.links;
  const finish = (message: DoneMessage | null): void => {
    setMode(null);
    setDone(message);
  };
  return (
    <div className="identity-box" data-testid="identity">
      <div className="identity-summary">
        <span title={t('identity.clusterHint')}>{t('identity.linked', { count: links.length, confidence: percent(identity.clusterConfidence) })}</span>
        {identity.confirmed && <span className="pill pill-muted" data-testid="identity-confirmed">{t('identity.confirmed')}</span>}
      </div>
      <ul className="identity-links" data-testid="identity-links">
        {links.map((link) => (
          <li key={`${link.source}:${link.recordId}`} className={link.confidence < DOUBTFUL ? 'link-doubtful' : undefined} title={t('identity.linkHint', { record: link.recordId })}>
            <span className="link-source">{sourceLabel(link.source)}</span>
            <bdi className="link-record">{link.recordId}</bdi>
            <span className="link-confidence">{percent(link.confidence)}</span>
          </li>
        ))}
      </ul>
      {mode === null && (
        <div className="identity-actions">
          {links.length > 1 && <button type="button" className="btn btn-link" data-testid="split-open" onClick={() => setMode('split')}>{t('identity.splitOpen')}</button>}
          <button type="button" className="btn btn-link" data-testid="merge-open" onClick={() => setMode('merge')}>{t('identity.mergeOpen')}</button>
        </div>
      )}
      {mode === 'split' && <SplitPanel customer={customer} onDone={finish} />}
      {mode === 'merge' && <MergePanel customer={customer} onDone={finish} />}
      {done && mode === null && <p className="identity-done" role="status" data-testid="identity-done">{t(done.key, done.values)}</p>}
    </div>
  );
}
