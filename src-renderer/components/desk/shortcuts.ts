/**
 * The agent's keyboard shortcuts, one table for the key handler and the help
 * list. Letters are matched by physical key (KeyboardEvent.code), so they sit
 * in the same place on a Hebrew or Russian layout as on an English one.
 */
export const SHORTCUTS = [
  { id: 'answer', keys: ['A'], codes: ['KeyA'] },
  { id: 'decline', keys: ['D'], codes: ['KeyD'] },
  { id: 'nextStep', keys: ['N'], codes: ['KeyN'] },
  { id: 'chooseOffer', keys: ['1', '…', '9'], codes: [] },
  { id: 'wrapUp', keys: ['W'], codes: ['KeyW'] },
  { id: 'save', keys: ['Ctrl', 'Enter'], codes: [] },
  { id: 'presence', keys: ['G'], codes: ['KeyG'] },
  { id: 'preferences', keys: ['P'], codes: ['KeyP'] },
  { id: 'help', keys: ['?'], codes: [] },
  { id: 'escape', keys: ['Esc'], codes: [] },
] as const;

export type ShortcutId = (typeof SHORTCUTS)[number]['id'];

/** The single-key shortcut a key press means, if any (digits are offers, handled apart). */
export function shortcutFor(event: Pick<KeyboardEvent, 'code'>): ShortcutId | null {
  for (const shortcut of SHORTCUTS) if ((shortcut.codes as readonly string[]).includes(event.code)) return shortcut.id;
  return null;
}

/** The offer (0-based) a digit key picks: top-row or keypad 1–9. */
export function offerIndexFor(event: Pick<KeyboardEvent, 'code'>): number | null {
  const match = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
  return match ? Number(match[1]) - 1 : null;
}

/** Typing in a field: single keys are the agent's words, not commands. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
}

/** "?" on any layout: the character itself, or Shift+Slash where the layout puts something else there. */
export function isHelpKey(event: Pick<KeyboardEvent, 'key' | 'code' | 'shiftKey'>): boolean {
  return event.key === '?' || (event.code === 'Slash' && event.shiftKey);
}
