import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { CurrentCall } from '@shared/contract/desktop-api';
import { popPainted } from '../../state/actions/calls';
import { CallHeader } from './CallHeader';
import { ProfileCard } from './ProfileCard';
import { RiskCard } from './RiskCard';
import { ValueCard } from './ValueCard';
import { ScriptCard } from './ScriptCard';
import { BriefCard } from './BriefCard';
import { TimelineCard } from './TimelineCard';
import { WrapUpForm } from './WrapUpForm';

/** The screen an agent sees from the first ring to the saved wrap-up. */
export function CallPop({ current }: { current: CurrentCall }) {
  const { t } = useTranslation();
  const { pop, phase, outreach, line } = current;
  const callId = pop.call.id;
  useEffect(() => {
    // A rAF callback runs just before the frame is painted; a task queued from it runs just after.
    const channel = new MessageChannel();
    channel.port1.onmessage = () => popPainted(callId);
    const frame = requestAnimationFrame(() => channel.port2.postMessage(null));
    return () => {
      cancelAnimationFrame(frame);
      channel.port1.close();
    };
  }, [callId]);

  return (
    <section className="pop" data-testid="call-pop" data-call-id={callId} data-phase={phase}>
      <CallHeader pop={pop} phase={phase} outboundTask={outreach} line={line} />
      {/* Laid out for 1366x768 without scrolling the page: what the agent needs first tops each column (value and risk,
          the script with its offers, the brief); the profile and history continue below within their columns. */}
      {/* Each column scrolls on its own, so each is a named region that takes focus (keyboard scrolling, WCAG 2.1.1). */}
      <div className="pop-grid">
        <div className="pop-col" tabIndex={0} role="region" aria-label={`${t('value.title')}, ${t('risk.title')}, ${t('profile.title')}`}>
          <ValueCard value={pop.value} />
          <RiskCard risk={pop.risk} />
          <ProfileCard pop={pop} />
        </div>
        <div className="pop-col pop-col-main" tabIndex={0} role="region" aria-label={phase === 'wrap_up' ? t('wrapUp.title') : t('script.title')}>
          {phase === 'wrap_up' ? <WrapUpForm key={callId} pop={pop} /> : <ScriptCard pop={pop} />}
        </div>
        <div className="pop-col" tabIndex={0} role="region" aria-label={`${t('brief.title')}, ${t('timeline.title')}`}>
          <BriefCard summary={pop.summary} callId={callId} />
          <TimelineCard timeline={pop.timeline} offerNames={pop.offerNames} />
        </div>
      </div>
    </section>
  );
}
