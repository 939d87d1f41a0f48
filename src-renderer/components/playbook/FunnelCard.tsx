import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScriptFunnelResponse } from '@shared/contract/playbook-http';
import type { Playbook } from '@shared/domain/playbook';
import { textIn } from '@shared/playbook/text';
import { loadPlaybook, scriptFunnel } from '../../state/actions/playbook';
import { percent } from '../../format';

/** Where customers are lost: per script, each step's reach as a bar, and the calls kept and lost where they stopped. */
export function FunnelCard({ refreshKey }: { refreshKey: number }) {
  const { t, i18n } = useTranslation();
  const [funnel, setFunnel] = useState<ScriptFunnelResponse | null>(null);
  // Step names come from the playbook now published; a step since removed is named by its id.
  const [playbook, setPlaybook] = useState<Playbook | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    const [result, current] = await Promise.all([scriptFunnel(), loadPlaybook()]);
    if (current.ok) setPlaybook(current.value.playbook);
    if (result.ok) {
      setFunnel(result.value);
      setError(null);
    } else setError(result.error.message);
  }, []);
  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  const scriptName = (id: string): string => {
    const script = playbook?.scripts.find((s) => s.id === id);
    return script ? textIn(script.name, i18n.language) : id;
  };
  const stepName = (scriptId: string, stepId: string): string => {
    const step = playbook?.scripts.find((s) => s.id === scriptId)?.steps.find((s) => s.id === stepId);
    return step ? textIn(step.title, i18n.language) : t('playbook.funnel.removedStep', { id: stepId });
  };

  return (
    <section className="card" data-testid="script-funnel">
      <header className="card-header">
        <h2>{t('playbook.funnel.title')}</h2>
        <button type="button" className="btn btn-ghost" onClick={() => void load()}>{t('playbook.funnel.refresh')}</button>
      </header>
      <div className="card-body">
        <p className="muted small">{t('playbook.funnel.hint')}</p>
        {error && <p className="notice" role="alert">{error}</p>}
        {funnel && funnel.funnels.length === 0 && <p className="muted">{t('playbook.funnel.empty')}</p>}
        <div className="funnels">
          {funnel?.funnels.map((f) => {
            const worst = f.steps.reduce((a, b) => (b.lost > a.lost ? b : a), f.steps[0] ?? { stepId: '', lost: 0 });
            return (
              <div key={f.scriptId} className="funnel" data-testid="funnel" data-script-id={f.scriptId}>
                <h3><bdi>{scriptName(f.scriptId)}</bdi> <span className="muted small">{t('playbook.funnel.calls', { count: f.calls })}</span></h3>
                <table className="table table-compact">
                  <thead><tr><th>{t('playbook.funnel.step')}</th><th>{t('playbook.funnel.reached')}</th><th className="num">{t('playbook.funnel.saved')}</th><th className="num">{t('playbook.funnel.lost')}</th></tr></thead>
                  <tbody>
                    {f.steps.map((s) => (
                      <tr key={s.stepId} data-step-id={s.stepId} className={s.lost > 0 && s.stepId === worst.stepId ? 'funnel-worst' : undefined}>
                        <td><bdi>{stepName(f.scriptId, s.stepId)}</bdi></td>
                        <td>
                          <div className="funnel-bar" title={percent(f.calls > 0 ? s.reached / f.calls : 0)}>
                            <span style={{ inlineSize: `${f.calls > 0 ? Math.round((s.reached / f.calls) * 100) : 0}%` }} />
                          </div>
                          <bdi className="small">{s.reached}</bdi>
                        </td>
                        <td className="num funnel-saved"><bdi>{s.saved}</bdi></td>
                        <td className="num funnel-lost"><bdi>{s.lost}</bdi></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
