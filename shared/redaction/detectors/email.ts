import { SCORE, type Candidate, type Range } from '../candidate';

const LOCAL_CHAR = /[\p{L}\p{N}._%+-]/u;
const DOMAIN_CHAR = /[\p{L}\p{N}.-]/u;
// Anchored checks on a candidate already cut around its @ (RFC 6531 allows unicode).
const LOCAL = /^[\p{L}\p{N}._%+-]*[\p{L}\p{N}_%+-]$/u;
const DOMAIN = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?(?:\.[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?)*\.\p{L}{2,}$/u;
const MAX_LOCAL = 64;
const MAX_DOMAIN = 255;

// Spelled-out forms customers use to dodge filters: "dana (at) example (dot) com".
const SPELLED_AT = /\s*[([]\s*at\s*[)\]]\s*/giu;
const SPELLED_LOCAL = /[\p{L}\p{N}._%+-]{1,64}$/u;
const SPELLED_DOMAIN = /^[\p{L}\p{N}-]{1,63}(?:\s*(?:[([]\s*dot\s*[)\]]|\.)\s*[\p{L}\p{N}-]{1,63}){1,6}/iu;

/**
 * Scans outward from each @ instead of running one big pattern over the
 * text: linear time, so a long run of dots or letters cannot stall it.
 */
export function detectEmails(text: string, _exclude: readonly Range[]): Candidate[] {
  const found: Candidate[] = [];
  let at = text.indexOf('@');
  while (at >= 0) {
    let start = at;
    while (start > 0 && at - start < MAX_LOCAL && LOCAL_CHAR.test(text[start - 1] as string)) start--;
    let end = at + 1;
    while (end < text.length && end - at <= MAX_DOMAIN && DOMAIN_CHAR.test(text[end] as string)) end++;
    // Trailing dots and dashes end the sentence, not the address.
    while (end > at + 1 && /[.-]/.test(text[end - 1] as string)) end--;
    const local = text.slice(start, at);
    const domain = text.slice(at + 1, end);
    if (local.length > 0 && LOCAL.test(local) && DOMAIN.test(domain) && !/[\p{L}\p{N}]/u.test(text[end] ?? '')) {
      // Drop leading dots a sentence may have glued on.
      const lead = /^[.]+/.exec(local)?.[0].length ?? 0;
      found.push({ start: start + lead, end, category: 'EMAIL', score: SCORE.email, detector: 'email', key: text.slice(start + lead, end).toLowerCase() });
    }
    at = text.indexOf('@', at + 1);
  }
  for (const m of text.matchAll(SPELLED_AT)) {
    const localMatch = SPELLED_LOCAL.exec(text.slice(Math.max(0, m.index - 64), m.index));
    const domainMatch = SPELLED_DOMAIN.exec(text.slice(m.index + m[0].length, m.index + m[0].length + 200));
    if (!localMatch || !domainMatch) continue;
    const start = m.index - localMatch[0].length;
    const end = m.index + m[0].length + domainMatch[0].length;
    if (/[\p{L}\p{N}]/u.test(text[start - 1] ?? '')) continue;
    const key = text.slice(start, end).toLowerCase().replace(/\s+/g, '').replace(/[([]at[)\]]/g, '@').replace(/[([]dot[)\]]/g, '.');
    found.push({ start, end, category: 'EMAIL', score: SCORE.email, detector: 'email-spelled', key });
  }
  return found;
}
