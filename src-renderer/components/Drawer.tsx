import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

/** Where the drawer may start: below the call header when a call is on screen, so Answer and End call stay in reach. */
function topOffset(): number {
  const anchor = document.querySelector('.call-header') ?? document.querySelector('.topbar');
  return anchor ? Math.max(0, Math.round(anchor.getBoundingClientRect().bottom)) : 0;
}

/**
 * A panel over the side of the screen. It never covers the top bar or the
 * call header: an agent who opened settings mid-ring can still answer.
 * Escape or the backdrop closes it.
 */
export function Drawer({ children, onClose, testId, className = '' }: { children: ReactNode; onClose(): void; testId: string; className?: string }) {
  const panel = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  useLayoutEffect(() => {
    const place = (): void => setTop(topOffset());
    place();
    window.addEventListener('resize', place);
    window.addEventListener('scroll', place, { passive: true });
    const header = document.querySelector('.call-header');
    const observer = header ? new ResizeObserver(place) : null;
    if (header) observer?.observe(header);
    return () => {
      window.removeEventListener('resize', place);
      window.removeEventListener('scroll', place);
      observer?.disconnect();
    };
  }, []);
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    panel.current?.focus();
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="drawer-layer" style={{ top }}>
      <div className="drawer-backdrop" onClick={onClose} aria-hidden="true" />
      <div className={`drawer ${className}`} role="dialog" aria-modal="true" data-testid={testId} ref={panel} tabIndex={-1}>
        {children}
      </div>
    </div>
  );
}
