import { describe, expect, it } from 'vitest';
import { attributeSummary, keptShare, KEPT_SHARE_FOR_DRAFTER, words } from '../../../src-main/services/calls/summary-author';
import { parseTranscript } from '../../../src-main/services/calls/transcript';

const draft = { author: 'model:gpt-4o-mini' as const, text: 'Customer agreed to stay after a 10% loyalty discount. Call back Friday to confirm.' };

describe('who wrote the saved summary', () => {
  it('is the agent’s without a draft or with an empty summary', () => {
    expect(attributeSummary('Anything at all', null)).toBe('agent');
    expect(attributeSummary('   ', draft)).toBe('agent');
  });

  it('stays the drafter’s when the draft is kept, lightly or substantially edited', () => {
    expect(attributeSummary(draft.text, draft)).toBe('model:gpt-4o-mini');
    expect(attributeSummary('Customer agreed to stay after a 15% loyalty discount and a free router. Call back Monday.', draft)).toBe('model:gpt-4o-mini');
    // Reordered sentences are the same words.
    expect(attributeSummary('Call back Friday to confirm. Customer agreed to stay after a 10% loyalty discount.', draft)).toBe('model:gpt-4o-mini');
    expect(attributeSummary('Retention discount; customer stays. Confirm on Friday.', { author: 'on-device', text: 'Customer stays after a retention discount.' })).toBe('on-device');
  });

  it('becomes the agent’s when less than the threshold of the draft survives', () => {
    expect(attributeSummary('Price objection; offered nothing, will decide next week.', draft)).toBe('agent');
    const almost = 'Customer agreed to stay and nothing else matches here whatsoever in this rewritten note';
    expect(keptShare(draft.text, almost)).toBeLessThan(KEPT_SHARE_FOR_DRAFTER);
    expect(attributeSummary(almost, draft)).toBe('agent');
  });

  it('counts Chinese and Hebrew words sensibly', () => {
    expect(words('客户同意留下')).toEqual(['客', '户', '同', '意', '留', '下']);
    expect(words('הלקוח נשאר, 10% הנחה')).toEqual(['הלקוח', 'נשאר', '10', 'הנחה']);
    const zh = { author: 'model:m' as const, text: '客户同意留下，周五回电确认。' };
    expect(attributeSummary('客户同意留下，周一回电。', zh)).toBe('model:m');
    expect(attributeSummary('价格问题，未解决。', zh)).toBe('agent');
  });
});

describe('pasted transcripts', () => {
  it('splits labelled lines into turns and joins continuation lines', () => {
    expect(parseTranscript('Agent: Hello, how can I help?\nCustomer: I want to cancel.\nIt is too expensive.\n\nAgent: I can offer 10% off.')).toEqual([
      { speaker: 'agent', text: 'Hello, how can I help?' },
      { speaker: 'customer', text: 'I want to cancel. It is too expensive.' },
      { speaker: 'agent', text: 'I can offer 10% off.' },
    ]);
  });

  it('knows the labels in the UI languages, and takes unlabelled text as the customer', () => {
    expect(parseTranscript('נציג: שלום\nלקוח: אני רוצה לבטל').map((t) => t.speaker)).toEqual(['agent', 'customer']);
    expect(parseTranscript('Оператор: Здравствуйте\nКлиент: Хочу отключиться').map((t) => t.speaker)).toEqual(['agent', 'customer']);
    expect(parseTranscript('坐席：您好\n客户：我要取消').map((t) => t.speaker)).toEqual(['agent', 'customer']);
    expect(parseTranscript('just some words')).toEqual([{ speaker: 'customer', text: 'just some words' }]);
    expect(parseTranscript('  \n ')).toEqual([]);
  });
});
