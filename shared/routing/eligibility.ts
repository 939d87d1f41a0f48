import type { AgentView, CallView } from './state';

/**
 * Hard eligibility: the agent speaks the call's language at or above the
 * queue's minimum proficiency, has every required skill, and was not excluded
 * for this call (rejected it, let it expire, or transferred it away).
 * Capacity and presence are the free-agent index's business, not this one's.
 */
export function isEligible(
  call: Pick<CallView, 'language' | 'requiredSkills'>,
  agent: Pick<AgentView, 'id' | 'languages' | 'skills'>,
  minProficiency: number,
  excluded: ReadonlySet<string>,
): boolean {
  const proficiency = agent.languages[call.language];
  if (proficiency === undefined || proficiency < minProficiency) return false;
  for (const skill of call.requiredSkills) if (!agent.skills.has(skill)) return false;
  return !excluded.has(agent.id);
}
