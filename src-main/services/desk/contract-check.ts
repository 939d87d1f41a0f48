import { desktopApi, type DesktopMethod, type InvokeResult } from '@shared/contract/desktop-api';
import type { DeskLogger } from './logger';

/**
 * Checks a handler's output against its schema (tests and development
 * builds): one that does not match is recorded, logged and turned into an
 * 'internal' error, so a test sees it at once.
 */
export function checkedOutput(method: DesktopMethod, value: unknown, violations: string[], log: DeskLogger): InvokeResult<unknown> {
  const checked = desktopApi[method].output.safeParse(value);
  if (checked.success) return { ok: true, value };
  const issue = checked.error.issues[0];
  const reason = `output of ${method}: ${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}`;
  violations.push(reason);
  log.error({ method, reason }, 'output does not match the contract');
  return { ok: false, error: { code: 'internal', message: `contract: ${reason}` } };
}
