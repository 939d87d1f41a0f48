import { useEffect } from 'react';
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
      <div className="pop-grid">
        <div className="pop-col">
          <ProfileCard pop={pop} />
          <ValueCard value={pop.value} />
        </div>
        <div className="pop-col pop-col-main">
          <RiskCard risk={pop.risk} />
          {phase === 'wrap_up' ? <WrapUpForm key={callId} pop={pop} /> : <ScriptCard pop={pop} />}
        </div>
        <div className="pop-col">
          <BriefCard summary={pop.summary} callId={callId} />
          <TimelineCard timeline={pop.timeline} />
        </div>
      </div>
    </section>
  );
}
