import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PopView } from '@shared/contract/pop';
import { shortDate } from '../../format';
import { Card } from './Card';
import { ProfileEditor } from './ProfileEditor';
import { IdentityPanel } from '../identity/IdentityPanel';
import { lineageDate, lineageNote, sourceLabel } from '../identity/lineage';

type Lineage = { note: { source: string; day: string | null }; tip: string };

export function ProfileCard({ pop }: { pop: PopView }) {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState(false);
  const c = pop.customer;
  if (!c) return <Card title={t('profile.title')} testId="profile"><p className="muted">{pop.match.candidates.length > 0 ? t('identity.pickAbove') : t('call.unknownCaller')}</p></Card>;
  // Where each value came from: a short note beside it, the record and full date on hover.
  const source = (field: string): Lineage | undefined => {
    const lineage = c.lineage[field];
    if (!lineage) return undefined;
    const date = lineageDate(lineage, i18n.language);
    const tip = date ? t('identity.lineageTip', { source: sourceLabel(lineage.source), record: lineage.recordId, date }) : t('identity.lineageTipUndated', { source: sourceLabel(lineage.source), record: lineage.recordId });
    return { note: lineageNote(lineage, i18n.language), tip };
  };
  // Phone numbers, e-mail and account ids read left to right in every UI language.
  const ltr = new Set([t('profile.account'), t('profile.phone'), t('profile.email')]);
  const rows: [string, string, Lineage | undefined][] = [
    [t('identity.name'), `${c.givenName} ${c.familyName}`.trim() || t('profile.none'), source('givenName') ?? source('familyName')],
    [t('profile.account'), c.accountId, undefined],
    [t('profile.phone'), c.phones.join(', ') || t('profile.none'), source('phone')],
    [t('profile.email'), c.email ?? t('profile.none'), source('email')],
    [t('call.language'), t(`language.${c.language}`), undefined],
    [t('profile.plan'), `${c.plan.name} · $${c.plan.monthlyCharge.toFixed(2)}`, source('plan')],
    [t('profile.contract'), `${t(`playbook.contractType.${c.plan.contractType}`)}${c.plan.contractEnd ? ` · ${t('profile.contractEnds', { date: shortDate(c.plan.contractEnd, i18n.language) })}` : ''}`, undefined],
    [t('profile.tenure'), t('profile.months', { count: c.plan.tenureMonths }), undefined],
    [t('profile.address'), [c.address.line1, c.address.city].filter(Boolean).join(', ') || t('profile.none'), source('address')],
    [t('profile.dob'), c.dateOfBirth ? shortDate(c.dateOfBirth, i18n.language) : t('profile.none'), source('dateOfBirth')],
  ];
  return (
    <Card
      title={t('profile.title')}
      testId="profile"
      aside={
        <span className="card-aside">
          {c.doNotCall && <span className="pill pill-warn">{t('profile.doNotCall')}</span>}
          {!editing && <button type="button" className="btn btn-link" onClick={() => setEditing(true)}>{t('profile.edit')}</button>}
        </span>
      }
    >
      {editing && <ProfileEditor customer={c} onDone={() => setEditing(false)} />}
      <dl className="facts">
        {rows.map(([label, value, from]) => (
          <div key={label} className="fact">
            <dt>{label}</dt>
            <dd title={from?.tip}>{ltr.has(label) ? <bdi dir="ltr">{value}</bdi> : <bdi>{value}</bdi>}{from && <span className="lineage" data-testid="lineage"><bdi>{from.note.source}</bdi>{from.note.day && <> · <bdi>{from.note.day}</bdi></>}</span>}</dd>
          </div>
        ))}
      </dl>
      <IdentityPanel customer={c} />
    </Card>
  );
}
