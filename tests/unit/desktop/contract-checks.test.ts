import { describe, expect, it } from 'vitest';
import { checkedOutput } from '../../../src-main/services/desk/contract-check';
import { DesktopEventBus } from '../../../src-main/services/desk/event-bus';
import type { DeskLogger } from '../../../src-main/services/desk/logger';

function recordingLogger(): DeskLogger & { lines: { level: string; fields: object; message: string }[] } {
  const lines: { level: string; fields: object; message: string }[] = [];
  const at = (level: string) => (fields: object, message: string) => void lines.push({ level, fields, message });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('the contract checks of the desktop backend', () => {
  it('sends an event that matches its schema, and holds back, logs and records one that does not', () => {
    const log = recordingLogger();
    const bus = new DesktopEventBus(log, true);
    const seen: unknown[] = [];
    bus.on('call.changed', (state) => seen.push(state));
    bus.emit('call.changed', { version: 1, current: null, last: null });
    bus.emit('call.changed', { version: -1, current: null, last: null });
    expect(seen).toEqual([{ version: 1, current: null, last: null }]);
    expect(bus.violations).toHaveLength(1);
    expect(bus.violations[0]).toMatch(/^event call\.changed: version: /);
    expect(log.lines).toEqual([expect.objectContaining({ level: 'error', fields: expect.objectContaining({ event: 'call.changed' }) })]);
  });

  it('sends anything when the checks are off (production)', () => {
    const bus = new DesktopEventBus(recordingLogger(), false);
    const seen: unknown[] = [];
    bus.on('call.changed', (state) => seen.push(state));
    bus.emit('call.changed', { version: -1, current: null, last: null });
    expect(seen).toHaveLength(1);
    expect(bus.violations).toEqual([]);
  });

  it('turns an output that breaks its schema into an internal error naming the method and the field', () => {
    const log = recordingLogger();
    const violations: string[] = [];
    expect(checkedOutput('wrapUp.save', { id: 'W1' }, violations, log)).toEqual({ ok: true, value: { id: 'W1' } });
    const bad = checkedOutput('wrapUp.save', { id: 42 }, violations, log);
    expect(bad).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(bad.ok ? '' : bad.error.message).toMatch(/output of wrapUp\.save: id: /);
    expect(violations).toHaveLength(1);
    expect(log.lines[0]).toMatchObject({ level: 'error', fields: { method: 'wrapUp.save' } });
  });
});
