import type { ReactNode } from 'react';

/** A titled panel of the pop; `focusable` lets focus land on it (the script, when a call connects). */
export function Card({ title, children, className = '', testId, aside, focusable = false }: { title: string; children: ReactNode; className?: string; testId?: string; aside?: ReactNode; focusable?: boolean }) {
  return (
    <section className={`card ${className}`} data-testid={testId} aria-label={title} {...(focusable ? { tabIndex: -1 } : {})}>
      <header className="card-header">
        <h2>{title}</h2>
        {aside}
      </header>
      <div className="card-body">{children}</div>
    </section>
  );
}
