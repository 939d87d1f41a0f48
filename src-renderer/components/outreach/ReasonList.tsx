import { useTranslation } from 'react-i18next';
import { reasonText, type ReasonContext } from './reason-text';

/** Reasons as a list; each is isolated (<bdi>) so an English phrase reads right in a Hebrew UI. */
export function ReasonList({ reasons, context, testId, compact = false }: { reasons: { code: string; text: string }[]; context: ReasonContext; testId?: string; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  if (reasons.length === 0) return null;
  if (compact) {
    return (
      <span className="reason-inline" data-testid={testId}>
        {reasons.map((reason, i) => (
          <span key={`${reason.code}-${i}`} data-code={reason.code}>
            {i > 0 && ' · '}
            <bdi>{reasonText(reason, context, t, i18n.language)}</bdi>
          </span>
        ))}
      </span>
    );
  }
  return (
    <ul className="reason-list" data-testid={testId}>
      {reasons.map((reason, i) => (
        <li key={`${reason.code}-${i}`} data-code={reason.code}><bdi>{reasonText(reason, context, t, i18n.language)}</bdi></li>
      ))}
    </ul>
  );
}
