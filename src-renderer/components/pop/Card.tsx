import type { ReactNode } from 'react';

export function Card({ title, children, className = '', testId, aside }: { title: string; children: ReactNode; className?: string; testId?: string; aside?: ReactNode }) {
  return (
    <section className={`card ${className}`} data-testid={testId}>
      <header className="card-header">
        <h2>{title}</h2>
        {aside}
      </header>
      <div className="card-body">{children}</div>
    </section>
  );
}
