import type { TranscriptTurn } from '@shared/summary/index';

/** Speaker labels an agent (or a telephony export) puts before a line, in the UI languages. */
const AGENT = /^\s*(?:agent|rep|me|נציג|נציגה|оператор|агент|坐席|客服|agente|الوكيل|وكيل)\s*[:：]\s*/iu;
const CUSTOMER = /^\s*(?:customer|caller|client|לקוח|לקוחה|клиент|абонент|客户|顾客|cliente|العميل|عميل)\s*[:：]\s*/iu;

/**
 * A pasted transcript as turns: "Agent: …" / "Customer: …" lines (or the
 * same labels in the UI languages) start a turn; other lines continue the
 * one before. Text with no labels at all is taken as the customer speaking.
 */
export function parseTranscript(text: string): TranscriptTurn[] {
  const turns: TranscriptTurn[] = [];
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    const line = rawLine.trim();
    if (line === '') continue;
    const agent = AGENT.exec(line);
    const customer = agent ? null : CUSTOMER.exec(line);
    if (agent || customer) {
      const body = line.slice((agent ?? customer)![0].length).trim();
      turns.push({ speaker: agent ? 'agent' : 'customer', text: body });
      continue;
    }
    const last = turns[turns.length - 1];
    if (last) turns[turns.length - 1] = { ...last, text: last.text === '' ? line : `${last.text} ${line}` };
    else turns.push({ speaker: 'customer', text: line });
  }
  return turns.filter((turn) => turn.text !== '');
}
