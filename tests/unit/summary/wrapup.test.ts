import { describe, expect, it } from 'vitest';
import { classifyFollowUp, draftWrapUp } from '@shared/summary/index';

const NOW = '2024-05-08T10:00:00.000Z'; // a Wednesday
const draft = (notes: string, extra: Partial<Parameters<typeof draftWrapUp>[0]> = {}) => draftWrapUp({ notes, language: 'en', now: NOW, ...extra });

describe('on-device wrap-up drafter', () => {
  it.each([
    ['Wanted to cancel over price; accepted RET-10OFF and agreed to stay.', 'retained'],
    ['Customer cancelled, switched to a competitor.', 'churned'],
    ['Customer did not accept the offer, will think it over.', 'undecided'],
    ['Wants to cancel, no decision yet.', 'undecided'],
    ['Customer is unsure. Call back Friday.', 'callback'],
    ['Billing question about the May invoice, explained the charges.', 'not_retention'],
    ['Wanted to leave but then accepted the loyalty discount.', 'retained'],
    ['Accepted the discount at first, then cancelled anyway.', 'churned'],
    ['הלקוח רצה לבטל, קיבל את ההצעה ונשאר.', 'retained'],
    ['הלקוח מתלבט, לחזור אליו מחר.', 'callback'],
    ['Клиент расторг договор и ушёл к конкуренту.', 'churned'],
    ['Клиент подумает над предложением.', 'undecided'],
    ['客户接受了优惠，同意续约。', 'retained'],
    ['客户已取消服务。', 'churned'],
  ])('%s -> %s', (notes, disposition) => {
    expect(draft(notes).disposition).toBe(disposition);
  });

  it('resolves follow-up dates against the wrap-up date', () => {
    expect(draft('Call back Friday.').followUps[0]).toMatchObject({ kind: 'callback', due: '2024-05-10', text: 'Call back Friday 2024-05-10' });
    expect(draft('Call back Wednesday.').followUps[0]?.due).toBe('2024-05-15');
    expect(draft('call her back tomorrow').followUps[0]?.due).toBe('2024-05-09');
    expect(draft('callback in 3 days').followUps[0]?.due).toBe('2024-05-11');
    expect(draft('callback on 2024-06-01').followUps[0]?.due).toBe('2024-06-01');
    expect(draft('客户考虑一下，下周回电。').followUps[0]?.due).toBe('2024-05-15');
    expect(draft('לחזור אליו ביום שישי').followUps[0]?.due).toBe('2024-05-10');
    expect(draft('Перезвонить в пятницу').followUps[0]?.due).toBe('2024-05-10');
  });

  it('finds credits with amounts, refunds and other actions, once each', () => {
    const d = draft('Apply credit of $20 to the next bill. Issue a refund of 35 EUR. Send an email confirmation. Escalate to tier 2. Technician visit booked. Waive the late fee. Apply credit again.');
    expect(d.followUps.map((f) => f.kind)).toEqual(['apply_credit', 'refund', 'send_info', 'escalate', 'technician', 'waive_fee']);
    expect(d.followUps[0]).toMatchObject({ amount: '$20', text: 'Apply credit of $20' });
    expect(d.followUps[1]?.amount).toBe('35 EUR');
  });

  it('writes follow-ups in the agent language', () => {
    expect(draft('Call back Friday, apply credit of $20', { language: 'he' }).followUps.map((f) => f.text)).toEqual(['לחזור ללקוח ביום שישי 2024-05-10', 'לתת זיכוי של $20']);
    expect(draft('Call back Friday', { language: 'zh' }).followUps[0]?.text).toBe('回电：星期五 2024-05-10');
  });

  it('summarises the notes, or the transcript when there are none', () => {
    expect(draft('Short note.').summary).toBe('Short note.');
    const long = 'First sentence about the issue. '.repeat(20);
    expect([...draft(long).summary].length).toBeLessThanOrEqual(300);
    const fromTranscript = draft('', {
      transcript: [
        { speaker: 'customer', text: 'I want to cancel, it is too expensive.' },
        { speaker: 'agent', text: 'I can offer 20% off for a year.' },
        { speaker: 'customer', text: 'Fine, I accept.' },
        { speaker: 'agent', text: 'Great, I applied it.' },
      ],
    });
    expect(fromTranscript.summary).toBe('Customer: I want to cancel, it is too expensive. Agent: Great, I applied it.');
    expect(fromTranscript.disposition).toBe('retained');
  });

  it('lets the notes decide over the transcript', () => {
    const d = draft('Customer cancelled.', { transcript: [{ speaker: 'customer', text: 'I accept the offer' }] });
    expect(d).toMatchObject({ disposition: 'churned', confidence: 'high' });
  });

  it('is deterministic and validates its input', () => {
    const notes = 'Wants to cancel; call back Monday; apply credit of $10.';
    expect(draft(notes)).toEqual(draft(notes));
    expect(() => draftWrapUp({ notes: 'x', language: 'en', now: 'not a date' })).toThrow();
  });

  it('classifies single follow-up lines written elsewhere', () => {
    expect(classifyFollowUp('Call back Friday', NOW)).toEqual({ kind: 'callback', due: '2024-05-10', amount: null });
    expect(classifyFollowUp('Apply credit of $20', NOW)).toEqual({ kind: 'apply_credit', due: null, amount: '$20' });
    expect(classifyFollowUp('Update the CRM', NOW).kind).toBe('other');
  });
});
