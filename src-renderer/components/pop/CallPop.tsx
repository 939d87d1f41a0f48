import { useEffect } from 'react';
import type { CallPhase } from '@shared/contract/desktop-api';
import type { PopView } from '@shared/contract/pop';
import { call } from '../../bridge/bridge';
import { CallHeader } from './CallHeader';
import { ProfileCard } from './ProfileCard';
import { RiskCard } from './RiskCard';
import { ValueCard } from './ValueCard';
import { ScriptCard } from './ScriptCard';
import { BriefCard } from './BriefCard';
import { TimelineCard } from './TimelineCard';
import { WrapUpForm } from './WrapUpForm';

/** The screen an agent sees from the first ring to the saved wrap-up. */
export function CallPop({ pop, phase }: { pop: PopView; phase: CallPhase }) {
  const callId = pop.call.id;
  useEffect(() => {
    // Two frames: the first runs before paint, the second after it.
    let second = 0;
    const first = requestAnimationFrame(() => {
      second = requestAnimationFrame(() => void call('call.popPainted', { callId }));
    });
    return () => {
      cancelAnimationFrame(first);
      cancelAnimationFrame(second);
    };
  }, [callId]);

  return (
    <section className="pop" data-testid="call-pop" data-call-id={callId} data-phase={phase}>
      <CallHeader pop={pop} phase={phase} />
      <div className="pop-grid">
        <div className="pop-col">
          <ProfileCard pop={pop} />
          <ValueCard value={pop.value} />
        </div>
        <div className="pop-col pop-col-main">
          <RiskCard risk={pop.risk} />
          {phase === 'wrap_up' ? <WrapUpForm pop={pop} /> : <ScriptCard pop={pop} />}
        </div>
        <div className="pop-col">
          <BriefCard summary={pop.summary} />
          <TimelineCard timeline={pop.timeline} />
        </div>
      </div>
    </section>
  );
}
