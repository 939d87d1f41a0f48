import { describe, expect, it } from 'vitest';
import { SHORTCUTS, isHelpKey, offerIndexFor, shortcutFor } from '../../../src-renderer/components/desk/shortcuts';

describe('the agent desk key table', () => {
  it('reads letters by their place on the keyboard, whatever the layout types', () => {
    // On a Hebrew layout the A key types "ש", on a Russian one "ф": the code is KeyA either way.
    expect(shortcutFor({ code: 'KeyA' })).toBe('answer');
    expect(shortcutFor({ code: 'KeyD' })).toBe('decline');
    expect(shortcutFor({ code: 'KeyN' })).toBe('nextStep');
    expect(shortcutFor({ code: 'KeyW' })).toBe('wrapUp');
    expect(shortcutFor({ code: 'KeyG' })).toBe('presence');
    expect(shortcutFor({ code: 'KeyZ' })).toBeNull();
  });

  it('maps top-row and keypad digits 1–9 to offers, and nothing else', () => {
    expect(offerIndexFor({ code: 'Digit1' })).toBe(0);
    expect(offerIndexFor({ code: 'Numpad9' })).toBe(8);
    expect(offerIndexFor({ code: 'Digit0' })).toBeNull();
    expect(offerIndexFor({ code: 'KeyA' })).toBeNull();
  });

  it('opens help on "?" or Shift+Slash', () => {
    expect(isHelpKey({ key: '?', code: 'Slash', shiftKey: true })).toBe(true);
    expect(isHelpKey({ key: ',', code: 'Slash', shiftKey: true })).toBe(true);
    expect(isHelpKey({ key: '/', code: 'Slash', shiftKey: false })).toBe(false);
  });

  it('gives every key one meaning', () => {
    const codes = SHORTCUTS.flatMap((s) => [...s.codes]);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
