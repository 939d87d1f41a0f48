import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { openShortcuts } from '../../state/actions/desk';
import { SHORTCUTS } from './shortcuts';

/**
 * The list of keys, opened with "?". A native modal <dialog>: the browser
 * keeps focus inside it and Escape closes it; focus returns where it was.
 */
export function ShortcutsHelp() {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!element.open) element.showModal();
    return () => {
      if (element.open) element.close();
      before?.focus();
    };
  }, []);
  return (
    <dialog ref={dialog} className="shortcuts-dialog" aria-labelledby="shortcuts-title" data-testid="shortcuts-help" onClose={() => openShortcuts(false)}>
      <h2 id="shortcuts-title">{t('desk.shortcuts.title')}</h2>
      <p className="muted small">{t('desk.shortcuts.intro')}</p>
      <table className="shortcuts-table">
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.id}>
              <td className="shortcut-keys">
                {shortcut.keys.map((key, i) => (key === '…' ? <span key={i} aria-hidden="true"> – </span> : <kbd key={i} dir="ltr">{key}</kbd>))}
              </td>
              <td>{t(`desk.shortcuts.${shortcut.id}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="panel-actions">
        <button type="button" className="btn btn-primary" autoFocus onClick={() => openShortcuts(false)}>{t('desk.shortcuts.close')}</button>
      </div>
    </dialog>
  );
}
