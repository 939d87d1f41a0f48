import type { PopScript } from '@shared/contract/pop';

/**
 * A merged script line. Values merged in are set apart (and isolated for
 * bidi); the customer's own data is marked, since it stays as written
 * whatever the agent's language.
 */
export function ScriptLine({ parts, language }: { parts: PopScript['steps'][number]['say']; language: string }) {
  return (
    <span lang={language} dir="auto">
      {parts.map((part, k) =>
        part.field === null ? (
          <span key={k}>{part.text}</span>
        ) : (
          <bdi key={k} className={part.field.startsWith('customer.') ? 'merge merge-customer' : 'merge'} data-merge={part.field} {...(part.field.startsWith('customer.') ? { 'data-customer-data': '' } : {})}>
            {part.text}
          </bdi>
        ),
      )}
    </span>
  );
}
