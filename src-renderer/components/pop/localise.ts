import type { Reason } from '@shared/domain/customer';

type Translate = (key: string, options?: Record<string, unknown>) => string;

/**
 * A churn reason in the UI's language, from its message template. A reason
 * scored before templates existed has none: its code is tried without values,
 * and its English phrase is the last resort.
 */
export function reasonText(reason: Pick<Reason, 'code' | 'phrase' | 'template'>, t: Translate): string {
  if (reason.template) return t(`playbook.reason.${reason.template.key}`, { ...reason.template.args, defaultValue: reason.phrase });
  return t(`playbook.reason.${reason.code}`, { defaultValue: reason.phrase });
}

const METHODS: Record<string, string> = {
  phone: 'phone',
  account: 'account',
  'phone and account': 'phone_and_account',
  'account and phone': 'phone_and_account',
  'shared phone': 'shared_phone',
  'no match': 'no_match',
  restored: 'restored',
};

/**
 * How the caller was matched, in the UI's language. Identity resolution
 * names the identifiers that agreed ("phone and account", "phone (phone
 * shared by 3 customers)"); anything unforeseen is shown generically, never raw.
 */
export function matchMethodText(method: string, t: Translate): string {
  const shared = /^(.*) \(phone shared by (\d+) customers\)$/.exec(method);
  if (shared) return t('playbook.match.shared_by', { what: matchMethodText(shared[1] as string, t), count: Number(shared[2]) });
  const key = METHODS[method] ?? 'other';
  return t(`playbook.match.${key}`);
}
